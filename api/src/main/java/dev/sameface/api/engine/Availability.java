package dev.sameface.api.engine;

/** Whether an engine can run on this machine, with the reason (and remedy) when it cannot. */
public record Availability(boolean available, String reason) {
    public static Availability ok() {
        return new Availability(true, "available");
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
