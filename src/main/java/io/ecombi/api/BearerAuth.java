package io.ecombi.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's tokens (ECOMBI_API_TOKENS, comma-separated, from the environment only) and the check of
 * an Authorization header against them. Tokens are kept as SHA-256 digests and compared with
 * MessageDigest.isEqual against every one of them, so neither the time taken nor an early exit
 * tells a caller how much of a token was right or how long it is. No token is ever logged.
 */
public final class BearerAuth {
    private final List<byte[]> digests = new ArrayList<>();

    public BearerAuth(String tokens) {
        if (tokens == null) return;
        for (String t : tokens.split(",")) {
            if (!t.isBlank()) digests.add(sha256(t.trim()));
        }
    }

    public boolean configured() { return !digests.isEmpty(); }

    /** True when the header is "Bearer <one of the tokens>". */
    public boolean allows(String authorization) {
        if (authorization == null || digests.isEmpty()) return false;
        String prefix = "bearer ";
        if (authorization.length() <= prefix.length() || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        byte[] given = sha256(authorization.substring(prefix.length()).trim());
        boolean ok = false;
        for (byte[] d : digests) ok |= MessageDigest.isEqual(d, given);   // no early exit
        return ok;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
