-- Flyway callback, before each migration: SQL function bodies are checked when they are called,
-- not when they are created, so V5's first ingest.parse_timestamp (which calls pg_input_is_valid,
-- PostgreSQL 16+) can be created on PostgreSQL 14 and 15 before V8 replaces it. Reset after.
SET check_function_bodies = off;
