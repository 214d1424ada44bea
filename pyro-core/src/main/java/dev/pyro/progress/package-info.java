/**
 * Helpers that turn long work into {@link dev.pyro.ProgressEvent}s: a meter that thins an
 * amount out to a sensible number of events, and a counting stream. Internal to pyro.
 */
package dev.pyro.progress;
