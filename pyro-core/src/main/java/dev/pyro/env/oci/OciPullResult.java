package dev.pyro.env.oci;

import java.util.List;

/**
 * What {@link OciClient#pull} installed.
 *
 * @param digest          digest of the artifact manifest that was pulled ({@code sha256:<hex>})
 * @param files           every file written into the target directory, {@code manifest.json} first
 * @param bytesDownloaded bytes actually transferred; less than the total when downloads resumed
 *                        or files were already in place
 */
public record OciPullResult(String digest, List<OciFile> files, long bytesDownloaded) {
    public OciPullResult {
        files = List.copyOf(files);
    }
}
