/**
 * pyro's MCP server: the operations of {@link dev.pyro.contract.Contract} that have an MCP
 * tool, served over stdio on the official MCP Java SDK. Tool names, descriptions and input
 * schemas are generated from the registry; the code behind each tool is the operation's
 * {@link dev.pyro.present.OperationHandler}, the same the CLI runs, and the server refuses
 * to start when handlers and registry disagree.
 */
package dev.pyro.mcp;
