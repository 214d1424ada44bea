package dev.pyro.env.oci;

/** Media types and annotations of a pyro environment bundle stored as an OCI artifact. */
public final class OciMediaTypes {
    /** The OCI image manifest that describes the artifact. */
    public static final String IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** {@code artifactType} of the manifest: marks it as a pyro environment. */
    public static final String ARTIFACT_TYPE = "application/vnd.pyro.environment.v1";
    /** Config blob: the bundle's own {@code manifest.json}, byte for byte. */
    public static final String CONFIG = "application/vnd.pyro.environment.config.v1+json";
    /** Each layer: one file of the bundle, stored as is (not compressed, not tarred). */
    public static final String FILE = "application/vnd.pyro.environment.file.v1";
    /** Layer annotation carrying the file name inside the bundle directory. */
    public static final String TITLE_ANNOTATION = "org.opencontainers.image.title";
    /** The bundle file that becomes the config blob. */
    public static final String BUNDLE_MANIFEST = "manifest.json";

    private OciMediaTypes() {
    }
}
