/**
 * File-system helpers every layer shares: removing a tree without following links,
 * crash-safe file replacement, digests, finding host programs, a stream over a queue of chunks
 * that another thread fills. No pyro concepts here.
 */
package dev.pyro.io;
