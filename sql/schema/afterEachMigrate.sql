-- Flyway callback, after each migration: back to PostgreSQL's default (see beforeEachMigrate.sql).
RESET check_function_bodies;
