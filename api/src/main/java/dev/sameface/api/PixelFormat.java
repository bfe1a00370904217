package dev.sameface.api;

/** Pixel layouts of a decoded {@link Image}: 8 bits a channel, interleaved, rows top to bottom. */
public enum PixelFormat {
    RGB8(3),
    GRAY8(1);

    private final int channels;

    PixelFormat(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
