package dev.pyro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for workspace names and labels (contract 3.3): things for people to find
 * workspaces by, bounded and printable so that listings stay readable and no name can drive a
 * terminal or hide text (no control, format or line-separator characters). Ids stay the
 * handle: names need not be unique.
 *
 * <ul>
 * <li>a name: 1 to {@value #MAX_NAME} characters, no leading or trailing whitespace;</li>
 * <li>a label key: 1 to {@value #MAX_KEY} letters, digits, {@code .}, {@code _}, {@code -} or
 *     {@code /}, starting with a letter or digit;</li>
 * <li>a label value: 0 to {@value #MAX_VALUE} characters;</li>
 * <li>at most {@value #MAX_LABELS} labels per workspace.</li>
 * </ul>
 */
public final class WorkspaceLabels {
    /** Longest name, in characters. */
    public static final int MAX_NAME = 64;
    /** Longest label key. */
    public static final int MAX_KEY = 63;
    /** Longest label value, in characters. */
    public static final int MAX_VALUE = 128;
    /** Most labels on one workspace. */
    public static final int MAX_LABELS = 32;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0," + (MAX_KEY - 1) + "}");

    private WorkspaceLabels() {
    }

    /**
     * {@code name} if it is a valid name.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} saying what is wrong
     */
    public static String checkName(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            throw invalid("a workspace name has 1 to " + MAX_NAME + " characters, this one " + length);
        }
        if (!name.equals(name.strip())) {
            throw invalid("a workspace name must not start or end with whitespace");
        }
        printable("workspace name", name);
        return name;
    }

    /**
     * {@code key} if it is a valid label key.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT}
     */
    public static String checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw invalid("label key '" + shown(key) + "' must be 1 to " + MAX_KEY + " letters, digits, '.', '_', "
                    + "'-' or '/', starting with a letter or digit");
        }
        return key;
    }

    /**
     * {@code labels} if every key and value is valid and there are at most {@value #MAX_LABELS}.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT}
     */
    public static Map<String, String> checkLabels(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw invalid("a workspace has at most " + MAX_LABELS + " labels, not " + labels.size());
        }
        labels.forEach((k, v) -> {
            checkKey(k);
            int length = v.codePointCount(0, v.length());
            if (length > MAX_VALUE) {
                throw invalid("the value of label " + k + " has " + length + " characters; at most " + MAX_VALUE);
            }
            printable("value of label " + k, v);
        });
        return labels;
    }

    /**
     * Labels from {@code KEY=VALUE} strings (the value may be empty; it may hold {@code =}).
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for a string without {@code =},
     *                       a key given twice, or anything {@link #checkLabels} refuses
     */
    public static Map<String, String> parse(List<String> keyValues) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                throw invalid("a label is KEY=VALUE, got '" + shown(kv) + "'");
            }
            String key = checkKey(kv.substring(0, eq));
            if (labels.put(key, kv.substring(eq + 1)) != null) {
                throw invalid("label " + key + " is given twice");
            }
        }
        return checkLabels(labels);
    }

    private static void printable(String what, String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.UNASSIGNED) {
                throw invalid("the " + what + " holds an unprintable character U+" + String.format("%04X", c));
            }
            i += Character.charCount(c);
        }
    }

    /** At most 40 characters of {@code s}, control characters escaped, for messages. */
    private static String shown(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        StringBuilder out = new StringBuilder();
        cut.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : (char) c));
        return out.toString();
    }

    private static PyroException invalid(String message) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
