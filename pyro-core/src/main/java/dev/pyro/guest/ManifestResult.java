package dev.pyro.guest;

/**
 * The end of a {@code manifest} (protocol §5).
 *
 * @param entries     entries sent
 * @param bytesHashed file bytes the agent read and hashed for it
 * @param cached      regular files whose digest and text class came from the agent's stat
 *                    cache (unchanged since an earlier manifest; not read again)
 */
public record ManifestResult(long entries, long bytesHashed, long cached) {
}
