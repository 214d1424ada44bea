/**
 * The Firecracker backend: {@link dev.pyro.vm.firecracker.FirecrackerVmm} starts one
 * {@code firecracker} process per VM (optionally through the {@code jailer}), configures it
 * over its HTTP API on a Unix socket ({@link dev.pyro.vm.firecracker.FirecrackerApiClient},
 * request bodies as records named after the definitions of Firecracker's swagger), and hands
 * out the guest agent's vsock endpoint. See {@code docs/firecracker.md}.
 */
package dev.pyro.vm.firecracker;
