package dev.pyro;

/** Range checks of request parameters, with the contract's error code and wording. */
final class Ranges {
    private Ranges() {
    }

    static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, name + " must be between " + min + " and " + max
                    + ", got " + value);
        }
    }
}
