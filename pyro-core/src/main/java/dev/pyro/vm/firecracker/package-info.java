/**
 * The Firecracker backend: {@link dev.pyro.vm.firecracker.FirecrackerVmm} starts one
 * {@code firecracker} process per VM (optionally through the {@code jailer}), configures it
 * over its HTTP API on a Unix socket ({@link dev.pyro.vm.firecracker.FirecrackerApiClient},
 * request bodies as records named after the definitions of Firecracker's swagger), and hands
 * out the guest agent's vsock endpoint; {@link dev.pyro.vm.firecracker.FirecrackerTemplates}
 * saves and restores VMs as templates with Firecracker's snapshot API. See
 * {@code docs/firecracker.md} and {@code docs/performance.md}.
 */
package dev.pyro.vm.firecracker;
