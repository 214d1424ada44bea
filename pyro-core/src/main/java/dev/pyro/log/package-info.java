/**
 * Where pyro's loggers come from: {@link dev.pyro.log.PyroLoggers}, loggers that find their
 * real {@link System.Logger} only when something is logged, so a class that logs nothing
 * does not set up the JDK's logging. No pyro concepts here.
 */
package dev.pyro.log;
