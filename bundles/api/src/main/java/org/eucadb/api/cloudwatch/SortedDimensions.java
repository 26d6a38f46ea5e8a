package org.eucadb.api.cloudwatch;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A metric key's dimensions: immutable, sorted by name (natural order), in two arrays, with the
 * hash computed once. A {@link MetricKey} made from another key's dimensions shares them instead
 * of copying, and two keys compare their dimensions array against array. Equal to any map with
 * the same entries, as {@link Map#equals} requires.
 */
final class SortedDimensions extends AbstractMap<String, String> implements SortedMap<String, String> {
    static final SortedDimensions EMPTY = new SortedDimensions(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private final int hash;

    private SortedDimensions(String[] names, String[] values) {
        this.names = names;
        this.values = values;
        int h = 0;
        for (int i = 0; i < names.length; i++) {
            h += names[i].hashCode() ^ values[i].hashCode(); // Map.hashCode's definition
        }
        this.hash = h;
    }

    /** The given dimensions, copied unless they already are a SortedDimensions. */
    static SortedDimensions of(Map<String, String> dims) {
        if (dims instanceof SortedDimensions s) {
            return s;
        }
        if (dims.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : dims.entrySet()) {
            sorted.put(java.util.Objects.requireNonNull(e.getKey(), "dimension name"),
                    java.util.Objects.requireNonNull(e.getValue(), "dimension value"));
        }
        String[] n = new String[sorted.size()];
        String[] v = new String[n.length];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            n[i] = e.getKey();
            v[i++] = e.getValue();
        }
        return new SortedDimensions(n, v);
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean isEmpty() {
        return names.length == 0;
    }

    @Override
    public String get(Object name) {
        int i = name instanceof String s ? Arrays.binarySearch(names, s) : -1;
        return i >= 0 ? values[i] : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return name instanceof String s && Arrays.binarySearch(names, s) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < names.length; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public String firstKey() {
        if (names.length == 0) {
            throw new NoSuchElementException();
        }
        return names[0];
    }

    @Override
    public String lastKey() {
        if (names.length == 0) {
            throw new NoSuchElementException();
        }
        return names[names.length - 1];
    }

    @Override
    public SortedMap<String, String> subMap(String fromKey, String toKey) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(this).subMap(fromKey, toKey));
    }

    @Override
    public SortedMap<String, String> headMap(String toKey) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(this).headMap(toKey));
    }

    @Override
    public SortedMap<String, String> tailMap(String fromKey) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(this).tailMap(fromKey));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof SortedDimensions s) {
            return s.hash == hash && Arrays.equals(s.names, names) && Arrays.equals(s.values, values);
        }
        return super.equals(o);
    }
}
