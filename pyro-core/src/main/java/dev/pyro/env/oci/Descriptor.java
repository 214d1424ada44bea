package dev.pyro.env.oci;

import java.util.Map;

/** An OCI content descriptor: what a manifest says about one blob. */
record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    Descriptor {
        annotations = Map.copyOf(annotations);
    }

    /** The bundle file name carried in the title annotation, or {@code null}. */
    String title() {
        return annotations.get(OciMediaTypes.TITLE_ANNOTATION);
    }
}
