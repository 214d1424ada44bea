package dev.pyro.env.oci;

/**
 * One file of a bundle as stored in the registry.
 *
 * @param name   file name inside the bundle directory
 * @param digest {@code sha256:<hex>} of its content
 * @param size   its size in bytes
 */
public record OciFile(String name, String digest, long size) {
}
