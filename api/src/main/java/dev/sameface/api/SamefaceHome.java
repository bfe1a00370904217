package dev.sameface.api;

import java.nio.file.Path;

/**
 * Where sameface keeps what it fetches and prepares (models, runtimes, template stores):
 * the system property {@code sameface.home}, else {@code $SAMEFACE_HOME}, else {@code $XDG_CACHE_HOME/sameface},
 * else {@code ~/.cache/sameface}. Layout: {@code models/<id>/...}, {@code runtimes/<name>-<version>/...}.
 */
public final class SamefaceHome {
    private SamefaceHome() {
    }

    public static Path resolve() {
        String p = System.getProperty("sameface.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("SAMEFACE_HOME");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "sameface").toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sameface");
    }

    public static Path models() {
        return resolve().resolve("models");
    }

    public static Path runtimes() {
        return resolve().resolve("runtimes");
    }

    /** {@code <home>/runtimes/<id>-<version>}: where the set-up step unpacks a runtime and its engine looks for it. */
    public static Path runtime(Path home, String id, String version) {
        Path runtimes = home.resolve("runtimes").toAbsolutePath().normalize();
        Path dir = runtimes.resolve(id + "-" + version).normalize();
        // Ids and versions may come from a plugin's manifest: none may name a folder outside the cache's runtimes.
        if (!runtimes.equals(dir.getParent())) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "runtime " + id + " " + version + " resolves to " + dir + ", outside " + runtimes);
        }
        return dir;
    }

    /** {@link #runtime(Path, String, String)} in {@link #resolve()}. */
    public static Path runtime(String id, String version) {
        return runtime(resolve(), id, version);
    }
}
