package io.sluice.apply.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 6901 JSON pointers ({@code /spec/replicas}, {@code /metadata/annotations/a~1b}) on a parsed
 * object.
 */
public final class JsonPointers {
    private JsonPointers() {}

    /** The value at {@code pointer}, if there is one. */
    public static Optional<Object> get(Object root, String pointer) {
        Object current = root;
        for (String token : tokens(pointer)) {
            current = child(current, token);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(current);
    }

    /**
     * Sets {@code value} at {@code pointer} (null removes it); false when its parent is not there.
     */
    @SuppressWarnings("unchecked")
    public static boolean set(Object root, String pointer, Object value) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            return false;
        }
        Object parent = root;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = child(parent, token);
        }
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof Map<?, ?> map) {
            if (value == null) {
                map.remove(last);
            } else {
                ((Map<String, Object>) map).put(last, value);
            }
            return true;
        }
        if (parent instanceof List<?> list && index(last) >= 0 && index(last) < list.size()) {
            if (value == null) {
                list.remove(index(last));
            } else {
                ((List<Object>) list).set(index(last), value);
            }
            return true;
        }
        return false;
    }

    /**
     * Sets {@code value} at {@code pointer}, making the maps on the way that are missing; false
     * when a list on the way lacks the item.
     */
    @SuppressWarnings("unchecked")
    public static boolean put(Object root, String pointer, Object value) {
        List<String> tokens = tokens(pointer);
        Object parent = root;
        for (String token : tokens.subList(0, Math.max(0, tokens.size() - 1))) {
            Object next = child(parent, token);
            if (next == null && parent instanceof Map<?, ?> map) {
                next = new java.util.LinkedHashMap<String, Object>();
                ((Map<String, Object>) map).put(token, next);
            }
            parent = next;
        }
        return !tokens.isEmpty() && set(parent, "/" + escape(tokens.get(tokens.size() - 1)), value);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    static Object child(Object node, String token) {
        if (node instanceof Map<?, ?> map) {
            return map.get(token);
        }
        if (node instanceof List<?> list) {
            int index = index(token);
            return index >= 0 && index < list.size() ? list.get(index) : null;
        }
        return null;
    }

    private static int index(String token) {
        return token.matches("\\d+") ? Integer.parseInt(token) : -1;
    }

    static List<String> tokens(String pointer) {
        List<String> tokens = new ArrayList<>();
        if (pointer == null || !pointer.startsWith("/")) {
            return tokens;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }
}
