package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pushes environment bundles to, and pulls them from, OCI registries (distribution spec v2).
 *
 * <p>A bundle is a directory with a {@code manifest.json} and plain files ({@code vmlinux},
 * {@code modules.cpio}, {@code rootfs.ext4}, …). It is stored as an OCI image manifest with
 * {@code artifactType} {@value OciMediaTypes#ARTIFACT_TYPE}: the config blob is the bundle's
 * {@code manifest.json}, and each other file is one uncompressed layer named by its
 * {@value OciMediaTypes#TITLE_ANNOTATION} annotation. See {@code docs/oci.md}.
 *
 * <p>Transfers stream between files and the network; memory use does not grow with blob size.
 * Auth is anonymous first, then whatever the registry's {@code WWW-Authenticate} challenge
 * asks for (bearer token or Basic), with the credentials of {@link OciClientOptions}.
 * Instances are thread-safe and meant to be reused (tokens are cached); close to release
 * the HTTP client.
 */
public final class OciClient implements AutoCloseable {
    private static final System.Logger LOG = PyroLoggers.of(OciClient.class);
    /** Registries refuse manifests over 4 MiB; so do we, to bound memory. */
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** The config blob is read into memory to cross-check file digests, so it is bounded too. */
    private static final long MAX_CONFIG_BYTES = 16L * 1024 * 1024;

    private final OciClientOptions options;
    private final HttpClient http;
    private final RegistryAuthenticator auth;

    /** A client configured from {@code PYRO_OCI_*} environment variables. */
    public OciClient() {
        this(OciClientOptions.fromEnvironment());
    }

    /** A client with explicit options. */
    public OciClient(OciClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                // Redirects are followed by hand: the JDK would carry Authorization to other hosts.
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/1.1 everywhere: large streamed bodies, no h2c upgrade dance on plain http.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.auth = new RegistryAuthenticator(http, options);
    }

    /**
     * Uploads the bundle in {@code bundleDir} and tags it.
     *
     * <p>The files pushed are those listed in {@code manifest.json}'s {@code files} (their sha256
     * and size must match), or, when it lists none, every regular file of the directory except
     * hidden and {@code .part} files. Blobs the registry already has are not sent again.
     *
     * @param ref a reference with a tag (the artifact is stored under it); if it also carries a
     *            digest, the pushed manifest must have exactly that digest
     * @return the digest of the pushed artifact manifest, {@code sha256:<hex>}
     * @throws PyroException {@code ENVIRONMENT_INVALID} for a broken bundle, {@code NETWORK_UNAVAILABLE},
     *                       {@link OciAuthenticationException}, {@code ENVIRONMENT_BUILD_FAILED} for other
     *                       registry refusals, {@code IO_ERROR}
     */
    public String push(Path bundleDir, OciReference ref, ProgressListener listener) {
        Objects.requireNonNull(ref, "ref");
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        if (!Files.isDirectory(bundleDir)) {
            throw new PyroException(ErrorCode.NOT_FOUND, "bundle directory " + bundleDir + " does not exist");
        }
        Path manifestFile = bundleDir.resolve(OciMediaTypes.BUNDLE_MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle " + bundleDir + " has no "
                    + OciMediaTypes.BUNDLE_MANIFEST);
        }
        try {
            if (Files.size(manifestFile) > MAX_CONFIG_BYTES) {
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, manifestFile + " is larger than "
                        + MAX_CONFIG_BYTES + " bytes");
            }
            Map<String, BundleManifest.Declared> declared = BundleManifest.declaredFiles(
                    Files.readAllBytes(manifestFile), manifestFile.toString());
            List<String> names = fileNames(bundleDir, declared);
            long bytes = Files.size(manifestFile);
            for (String name : names) {
                Path file = bundleDir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle " + bundleDir + " lacks " + name
                            + ", which its manifest.json lists");
                }
                bytes += Files.size(file);
            }
            BlobProgress hashing = new BlobProgress(progress, "push", "hash", ref.toString(), bytes,
                    names.size() + 1);
            Descriptor config = describe(manifestFile, OciMediaTypes.CONFIG, Map.of(), hashing);
            List<Descriptor> layers = new ArrayList<>();
            for (String name : names) {
                Path file = bundleDir.resolve(name);
                Descriptor layer = describe(file, OciMediaTypes.FILE, Map.of(OciMediaTypes.TITLE_ANNOTATION, name),
                        hashing);
                BundleManifest.Declared d = declared.get(name);
                if (d != null && ((d.digest() != null && !d.digest().equals(layer.digest()))
                        || (d.size() >= 0 && d.size() != layer.size()))) {
                    throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle file " + file + " is "
                            + layer.digest() + " (" + layer.size() + " bytes) but manifest.json says " + d.digest()
                            + " (" + d.size() + " bytes)");
                }
                layers.add(layer);
            }
            hashing.finish();
            ArtifactManifest artifact = new ArtifactManifest(config, layers);
            byte[] json = artifact.toJson();
            String digest = Sha256.of(json);
            if (ref.digest() != null && !ref.digest().equals(digest)) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "bundle " + bundleDir + " pushes as " + digest
                        + ", not the requested " + ref.digest());
            }

            RegistryTransport transport = new RegistryTransport(http, auth, ref, options, true);
            BlobProgress uploading = new BlobProgress(progress, "push", "upload", ref.toString(), bytes,
                    layers.size() + 1);
            BlobUploader uploader = new BlobUploader(transport, options, uploading);
            uploader.upload(manifestFile, config.digest(), config.size(), OciMediaTypes.BUNDLE_MANIFEST);
            for (Descriptor layer : layers) {
                uploader.upload(bundleDir.resolve(layer.title()), layer.digest(), layer.size(), layer.title());
            }
            uploading.finish();
            progress.onProgress(ProgressEvent.phase("push", "manifest", ref.toString()));
            String stored = uploader.putManifest(ref.tag() != null ? ref.tag() : digest, json, digest);
            LOG.log(System.Logger.Level.DEBUG, "pushed {0} as {1}", ref, stored);
            progress.onProgress(ProgressEvent.phase("push", "done", ref.toString(), stored));
            return stored;
        } catch (IOException e) {
            throw RegistryErrors.local("cannot read bundle " + bundleDir, e);
        }
    }

    /**
     * Downloads the bundle at {@code ref} into {@code targetDir} (created if needed).
     *
     * <p>Each file is written to {@code <name>.part}, verified against its sha256 while it
     * streams, and renamed into place only when it matches. A {@code .part} left by an
     * interrupted pull is continued with a {@code Range} request; files already in place and
     * correct are not downloaded again. Other files in {@code targetDir} are left alone.
     *
     * @throws PyroException {@code ENVIRONMENT_NOT_FOUND} for an unknown repository, tag or digest,
     *                       {@code ENVIRONMENT_INVALID} for a digest mismatch or a manifest that is not a
     *                       pyro bundle, {@code NETWORK_UNAVAILABLE}, {@link OciAuthenticationException},
     *                       {@code IO_ERROR}/{@code NO_SPACE}
     */
    public OciPullResult pull(OciReference ref, Path targetDir, ProgressListener listener) {
        Objects.requireNonNull(ref, "ref");
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        RegistryTransport transport = new RegistryTransport(http, auth, ref, options, false);
        progress.onProgress(ProgressEvent.phase("pull", "resolve", ref.toString()));
        Fetched fetched = fetchManifest(transport);
        ArtifactManifest artifact = ArtifactManifest.parse(fetched.json(), "manifest " + ref);
        try {
            Files.createDirectories(targetDir);
        } catch (IOException e) {
            throw RegistryErrors.local("cannot create " + targetDir, e);
        }
        if (artifact.config().size() > MAX_CONFIG_BYTES) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "manifest " + ref + " has a config of "
                    + artifact.config().size() + " bytes, more than a bundle manifest.json can be");
        }
        long bytes = artifact.config().size();
        for (Descriptor layer : artifact.layers()) {
            bytes += layer.size();
        }
        BlobProgress downloading = new BlobProgress(progress, "pull", "download", ref.toString(), bytes,
                artifact.layers().size() + 1);
        BlobDownloader downloader = new BlobDownloader(transport, downloading);
        Path manifestFile = targetDir.resolve(OciMediaTypes.BUNDLE_MANIFEST);
        long downloaded = downloader.download(artifact.config(), manifestFile, OciMediaTypes.BUNDLE_MANIFEST);
        checkAgainstBundleManifest(artifact, manifestFile, ref);

        List<OciFile> files = new ArrayList<>();
        files.add(new OciFile(OciMediaTypes.BUNDLE_MANIFEST, artifact.config().digest(), artifact.config().size()));
        for (Descriptor layer : artifact.layers()) {
            downloaded += downloader.download(layer, targetDir.resolve(layer.title()), layer.title());
            files.add(new OciFile(layer.title(), layer.digest(), layer.size()));
        }
        downloading.finish();
        progress.onProgress(ProgressEvent.phase("pull", "done", ref.toString(), fetched.digest()));
        return new OciPullResult(fetched.digest(), files, downloaded);
    }

    /**
     * The digest {@code ref} currently points to, without downloading the bundle.
     *
     * @throws PyroException as {@link #pull}
     */
    public String resolve(OciReference ref) {
        return fetchManifest(new RegistryTransport(http, auth, ref, options, false)).digest();
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        http.close();
    }

    private record Fetched(byte[] json, String digest) {
    }

    private Fetched fetchManifest(RegistryTransport transport) {
        OciReference ref = transport.reference();
        HttpRequest.Builder get = transport.request(transport.url("manifests/" + ref.reference()))
                .header("Accept", OciMediaTypes.IMAGE_MANIFEST)
                .GET();
        HttpResponse<InputStream> response = transport.send(get, "environment " + ref, BodyHandlers.ofInputStream(),
                Set.of(), false);
        byte[] json;
        try (InputStream in = response.body()) {
            json = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw RegistryErrors.network("registry " + ref.authority(), e);
        }
        if (json.length > MAX_MANIFEST_BYTES) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "manifest " + ref + " is larger than "
                    + MAX_MANIFEST_BYTES + " bytes");
        }
        // The digest is ours to compute: a registry's Docker-Content-Digest header is not proof.
        String digest = Sha256.of(json);
        if (ref.digest() != null && !ref.digest().equals(digest)) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "registry " + ref.authority() + " returned a manifest"
                    + " with digest " + digest + " for " + ref);
        }
        return new Fetched(json, digest);
    }

    /** The registry's layers must be exactly the files the bundle's own manifest.json declares, if it declares any. */
    private static void checkAgainstBundleManifest(ArtifactManifest artifact, Path manifestFile, OciReference ref) {
        Map<String, BundleManifest.Declared> declared;
        try {
            declared = BundleManifest.declaredFiles(Files.readAllBytes(manifestFile), "manifest.json of " + ref);
        } catch (IOException e) {
            throw RegistryErrors.local("cannot read " + manifestFile, e);
        }
        if (declared.isEmpty()) {
            return;
        }
        for (Descriptor layer : artifact.layers()) {
            BundleManifest.Declared d = declared.get(layer.title());
            if (d == null) {
                continue; // an extra file is harmless; the store decides what it needs
            }
            if ((d.digest() != null && !d.digest().equals(layer.digest())) || (d.size() >= 0 && d.size() != layer.size())) {
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "artifact " + ref + " has " + layer.title() + " as "
                        + layer.digest() + " (" + layer.size() + " bytes) but its manifest.json says " + d.digest()
                        + " (" + d.size() + " bytes)");
            }
        }
        for (String name : declared.keySet()) {
            if (artifact.layers().stream().noneMatch(l -> l.title().equals(name))) {
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "artifact " + ref + " lacks " + name
                        + ", which its manifest.json lists");
            }
        }
    }

    private static Descriptor describe(Path file, String mediaType, Map<String, String> annotations,
            BlobProgress hashing) throws IOException {
        long size = Files.size(file);
        BlobProgress.Blob blob = hashing.next(file.getFileName().toString(), size);
        String digest = Sha256.of(file, blob::report);
        return new Descriptor(mediaType, digest, size, annotations);
    }

    private static List<String> fileNames(Path dir, Map<String, BundleManifest.Declared> declared) throws IOException {
        if (!declared.isEmpty()) {
            return List.copyOf(declared.keySet());
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(OciMediaTypes.BUNDLE_MANIFEST) && !n.startsWith(".") && !n.endsWith(".part"))
                    .peek(n -> {
                        if (!ArtifactManifest.isSafeFileName(n)) {
                            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle file name '" + n
                                    + "' has characters outside [A-Za-z0-9._-]");
                        }
                    })
                    .sorted()
                    .toList();
        }
    }
}
