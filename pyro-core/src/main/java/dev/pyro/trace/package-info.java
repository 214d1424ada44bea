/**
 * Development timelines, off unless asked for with a system property: {@link
 * dev.pyro.trace.StartTrace} (a process's start-up, {@code -Dpyro.trace.start=true}) and
 * {@link dev.pyro.trace.ExecTrace} (the exec path's steps, {@code -Dpyro.trace.exec=true}).
 * Any layer may mark a point; nothing here depends on the rest of pyro.
 */
package dev.pyro.trace;
