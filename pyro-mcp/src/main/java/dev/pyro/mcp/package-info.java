/**
 * pyro's MCP server: the operations of {@link dev.pyro.contract.Contract} that have an MCP
 * tool, served over stdio on the official MCP Java SDK. Tool names, descriptions and input
 * schemas are generated from the registry; {@link dev.pyro.mcp.ToolHandlers} supplies the
 * code behind each, and the server refuses to start when the two disagree.
 */
package dev.pyro.mcp;
