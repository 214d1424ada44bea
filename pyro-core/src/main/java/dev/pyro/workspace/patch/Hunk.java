package dev.pyro.workspace.patch;

import java.util.List;

/**
 * One {@code @@ -a,b +c,d @@} hunk. Lines keep their {@code \n}; a line the patch marks with
 * {@code \ No newline at end of file} has none, so the end of a file is matched exactly.
 *
 * @param oldStart  first old line (1-based; for a hunk without old lines, the line after which
 *                  the new ones go, 0 for the start)
 * @param newStart  first new line (1-based)
 * @param header    the {@code @@ … @@} line as written, for messages
 * @param oldLines  the lines the file must have (context and removed, in order)
 * @param newLines  what replaces them (context and added, in order)
 * @param removed   how many lines it removes
 * @param added     how many it adds
 * @param patchLine where the hunk starts in the patch (1-based), for messages
 */
public record Hunk(int oldStart, int newStart, String header, List<String> oldLines, List<String> newLines,
        int removed, int added, int patchLine) {
    public Hunk {
        oldLines = List.copyOf(oldLines);
        newLines = List.copyOf(newLines);
    }
}
