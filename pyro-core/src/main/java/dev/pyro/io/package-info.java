/**
 * File-system helpers every layer shares: removing a tree without following links,
 * crash-safe file replacement, digests, finding host programs. No pyro concepts here.
 */
package dev.pyro.io;
