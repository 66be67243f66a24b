package dev.aand.backbone.weights;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data-only pickle interpreter (protocols 0-5, minus the class-instantiating opcodes INST/OBJ and
 * the extension registry). It never runs Python code: GLOBAL yields a {@link Global} name, and
 * REDUCE/NEWOBJ hand that name to the {@link Resolver}, which either interprets a known callable or
 * returns an inert {@link PyObject}. That keeps loading untrusted checkpoints safe.
 *
 * <p>Python values map to: None=null, bool=Boolean, int=Long (BigInteger beyond 64 bits),
 * float=Double, str=String, bytes=byte[], list=ArrayList, tuple=unmodifiable List,
 * dict=LinkedHashMap, set=LinkedHashSet.
 */
final class PickleMachine {

    /** A module-level name referenced by GLOBAL / STACK_GLOBAL. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** An object the resolver does not interpret: its class/callable, arguments and BUILD state. */
    static final class PyObject {
        final Global type;
        final Object args;
        Object state;

        PyObject(Global type, Object args) {
            this.type = type;
            this.args = args;
        }
    }

    /** Gives meaning to persistent ids and to calls of globals. */
    interface Resolver {
        Object persistentLoad(Object pid);

        Object call(Global callable, List<Object> args);
    }

    private static final int HIGHEST_PROTOCOL = 5;

    private final byte[] code;
    private final String source;
    private final Resolver resolver;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pos;

    PickleMachine(byte[] code, String source, Resolver resolver) {
        this.code = code;
        this.source = source;
        this.resolver = resolver;
    }

    /** Runs the program to STOP and returns the unpickled top object. */
    Object run() {
        while (true) {
            int opAt = pos;
            int op = u8();
            try {
                if (op == '.') {
                    return pop();
                }
                step(op);
            } catch (WeightFormatException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source)) {
                    throw e;
                }
                throw fail(opAt, e.getMessage());
            } catch (RuntimeException e) {
                throw fail(opAt, "malformed pickle near opcode 0x" + Integer.toHexString(op) + " (" + e + ")");
            }
        }
    }

    private void step(int op) {
        switch (op) {
            case 0x80 -> { // PROTO
                int p = u8();
                if (p > HIGHEST_PROTOCOL) {
                    throw fail(pos - 2, "pickle protocol " + p + " is newer than supported (<= 5)");
                }
            }
            case 0x95 -> skip(8); // FRAME: framing is only a read-ahead hint
            case '(' -> marks.add(stack.size());
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'I' -> {
                String s = line();
                push(switch (s) {
                    case "00" -> Boolean.FALSE;
                    case "01" -> Boolean.TRUE;
                    default -> Long.parseLong(s);
                });
            }
            case 'J' -> push((long) le(4, true));
            case 'K' -> push((long) u8());
            case 'M' -> push(le(2, false));
            case 'L' -> {
                String s = line();
                push(normalise(new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s)));
            }
            case 0x8a -> push(longN(u8()));
            case 0x8b -> push(longN(length(le(4, true))));
            case 'F' -> push(Double.parseDouble(line()));
            case 'G' -> push(Double.longBitsToDouble(be8()));
            case 'S' -> push(unquote(line()));
            case 'T' -> push(latin1(length(le(4, true))));
            case 'U' -> push(latin1(u8()));
            case 'V' -> push(rawUnicodeEscape(line()));
            case 'X' -> push(utf8(length(le(4, false))));
            case 0x8c -> push(utf8(u8()));
            case 0x8d -> push(utf8(length(le(8, true))));
            case 'B' -> push(bytes(length(le(4, false))));
            case 'C' -> push(bytes(u8()));
            case 0x8e, 0x96 -> push(bytes(length(le(8, true))));
            case ')' -> push(tuple(List.of()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tuple(popN(1)));
            case 0x86 -> push(tuple(popN(2)));
            case 0x87 -> push(tuple(popN(3)));
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'a' -> {
                Object v = pop();
                asList(peek()).add(v);
            }
            case 'e' -> {
                List<Object> items = popMark();
                asList(peek()).addAll(items);
            }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                putPairs(m, popMark());
                push(m);
            }
            case 's' -> {
                Object v = pop();
                Object k = pop();
                asMap(peek()).put(k, v);
            }
            case 'u' -> {
                List<Object> items = popMark();
                putPairs(asMap(peek()), items);
            }
            case 0x8f -> push(new LinkedHashSet<>());
            case 0x90 -> {
                List<Object> items = popMark();
                asSet(peek()).addAll(items);
            }
            case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(popMark())));
            case 'p' -> memo.put(Long.parseLong(line()), peek());
            case 'q' -> memo.put((long) u8(), peek());
            case 'r' -> memo.put(le(4, false), peek());
            case 0x94 -> memo.put((long) memo.size(), peek());
            case 'g' -> push(memoGet(Long.parseLong(line())));
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(le(4, false)));
            case 'c' -> {
                String module = line();
                push(new Global(module, line()));
            }
            case 0x93 -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw fail(pos - 1, "STACK_GLOBAL needs two strings");
                }
                push(new Global(m, n));
            }
            case 'R' -> {
                Object args = pop();
                Object callable = pop();
                push(call(callable, args));
            }
            case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args) -- recorded, not executed
                Object args = pop();
                push(new PyObject(asGlobal(pop()), args));
            }
            case 0x92 -> { // NEWOBJ_EX
                Object kwargs = pop();
                Object args = pop();
                push(new PyObject(asGlobal(pop()), List.of(args, kwargs)));
            }
            case 'b' -> {
                Object state = pop();
                // Only inert objects keep their state; for dicts (OrderedDict._metadata) and tensors
                // the state is bookkeeping that a weight reader does not need.
                if (peek() instanceof PyObject o) {
                    o.state = state;
                }
            }
            case 'P' -> push(resolver.persistentLoad(line()));
            case 'Q' -> push(resolver.persistentLoad(pop()));
            default -> throw fail(pos - 1, "unsupported pickle opcode 0x" + Integer.toHexString(op));
        }
    }

    private Object call(Object callable, Object args) {
        if (!(callable instanceof Global g)) {
            throw fail(pos - 1, "REDUCE on a non-global callable (" + describe(callable) + ")");
        }
        if (!(args instanceof List<?> list)) {
            throw fail(pos - 1, "REDUCE arguments for " + g.qualified() + " are not a tuple");
        }
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) list;
        return resolver.call(g, a);
    }

    /** A short Python-ish name for the type of an unpickled value, for error messages. */
    static String describe(Object v) {
        if (v == null) {
            return "None";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof Long || v instanceof BigInteger) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof String) {
            return "str";
        } else if (v instanceof byte[]) {
            return "bytes";
        } else if (v instanceof Map) {
            return "dict";
        } else if (v instanceof Set) {
            return "set";
        } else if (v instanceof List) {
            return "list/tuple";
        } else if (v instanceof Global g) {
            return "global " + g.qualified();
        } else if (v instanceof PyObject o) {
            return "object of " + o.type.qualified();
        }
        return v.getClass().getSimpleName();
    }

    // ---- stack helpers

    private void push(Object v) {
        stack.add(v);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) >= stack.size())) {
            throw fail(pos - 1, "stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw fail(pos - 1, "stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        if (stack.size() < n) {
            throw fail(pos - 1, "stack underflow");
        }
        List<Object> tail = stack.subList(stack.size() - n, stack.size());
        List<Object> out = new ArrayList<>(tail);
        tail.clear();
        return out;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw fail(pos - 1, "no MARK on the stack");
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> tail = stack.subList(at, stack.size());
        List<Object> out = new ArrayList<>(tail);
        tail.clear();
        return out;
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) {
            throw fail(pos - 1, "memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    private void putPairs(Map<Object, Object> m, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw fail(pos - 1, "odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            m.put(items.get(i), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail(pos - 1, "APPEND target is " + describe(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(pos - 1, "SETITEM target is " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private Set<Object> asSet(Object o) {
        if (o instanceof LinkedHashSet<?> s) {
            return (Set<Object>) s;
        }
        throw fail(pos - 1, "ADDITEMS target is " + describe(o) + ", not a set");
    }

    private Global asGlobal(Object o) {
        if (o instanceof Global g) {
            return g;
        }
        throw fail(pos - 1, "NEWOBJ class is " + describe(o) + ", not a global");
    }

    // ---- byte readers (all bounds-checked so a truncated pickle gives a clear message)

    private void need(long n) {
        if (n < 0 || n > code.length - pos) {
            throw fail(pos, "pickle data ends unexpectedly (truncated or corrupt file)");
        }
    }

    private int u8() {
        need(1);
        return code[pos++] & 0xff;
    }

    private void skip(int n) {
        need(n);
        pos += n;
    }

    private long le(int n, boolean signed) {
        need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (code[pos + i] & 0xff);
        }
        pos += n;
        if (signed && n < 8) {
            int shift = 64 - 8 * n;
            v = (v << shift) >> shift;
        }
        return v;
    }

    private long be8() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (code[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    private int length(long n) {
        if (n < 0 || n > code.length - pos) {
            throw fail(pos, "length " + n + " runs past the end of the pickle (truncated or corrupt file)");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(code, pos, out, 0, n);
        pos += n;
        return out;
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private String line() {
        int start = pos;
        while (pos < code.length && code[pos] != '\n') {
            pos++;
        }
        if (pos >= code.length) {
            throw fail(start, "pickle data ends inside a text argument (truncated or corrupt file)");
        }
        String s = new String(code, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
    }

    private Object longN(int n) {
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        return normalise(new BigInteger(be));
    }

    private static Object normalise(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String rawUnicodeEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private WeightFormatException fail(int at, String problem) {
        return new WeightFormatException(source + ": " + problem + " (pickle offset " + at + ")");
    }
}
