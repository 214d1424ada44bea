package dev.pyro.guest.protocol;

/** What {@link FrameDecoder#next()} found in the input. */
public sealed interface Decoded {

    /** A complete frame of a known type. */
    record FrameReady(Frame frame) implements Decoded {
    }

    /**
     * A frame with a valid header but a type this version does not know; its payload has
     * been skipped whole (protocol §1).
     */
    record UnknownType(int typeCode, int flags, int streamId, int length) implements Decoded {
    }

    /**
     * Frame sync was lost (bad magic, bad header CRC or a length over the limit). Reported
     * once per resync; the decoder then skips bytes one at a time until a valid header.
     */
    record SyncLost(String reason) implements Decoded {
    }
}
