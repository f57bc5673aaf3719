package io.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table as the flux CLI prints one: upper-case headers, no borders, each cell padded to its
 * column's width and the columns separated by a tab.
 */
public final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = headers;
    }

    public Table row(String... cells) {
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c).toArray(String[]::new));
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The rows only: more of a table already printed (a followed stream). */
    public void printRows(PrintWriter out) {
        print(out, false);
    }

    public void print(PrintWriter out) {
        print(out, true);
    }

    private void print(PrintWriter out, boolean withHeaders) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        if (withHeaders) {
            line(out, headers, widths);
        }
        rows.forEach(row -> line(out, row, widths));
        out.flush();
    }

    private static void line(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == cells.length - 1 ? cells[i] : pad(cells[i], widths[i]) + "\t");
        }
        out.println(line.toString().stripTrailing());
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }
}
