/*
 * cli_chart.c — `safeguard chart`: draws a line or bar chart with the
 * project's chart module (src/charts) from JSON on standard input, as SVG
 * on standard output. The benchmarks use it for docs/performance.md's
 * growth chart, so that figure is drawn exactly as the board's charts are.
 *
 *   {"kind": "line"|"bar", "title": "...", "x_label": "...", "y_label": "...",
 *    "categories": ["1%", "10%", "100%"],
 *    "series": [{"name": "...", "values": [1.5, 2.0, 3.1]}, ...]}
 */
#include "charts/chart.h"
#include "cli/cli.h"
#include "core/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int cli_chart(int argc, char **argv)
{
    struct cli c = {.cmd = "chart"};
    int rc = cli_parse(&c, argc, argv, NULL);
    if (rc || c.help)
        return c.help ? cli_help("chart") : rc;
    json_error_t jerr;
    json_t *in = json_loadf(stdin, 0, &jerr);
    if (!in)
        return cli_fail("chart", "standard input is not JSON: %s (line %d)", jerr.text, jerr.line);
    const char *categories[CHART_MAX_CATEGORIES];
    double values[CHART_MAX_SERIES][CHART_MAX_CATEGORIES];
    struct chart_series series[CHART_MAX_SERIES];
    json_t *cats = json_object_get(in, "categories"), *ser = json_object_get(in, "series");
    size_t nc = json_array_size(cats), ns = json_array_size(ser);
    if (nc < 1 || nc > CHART_MAX_CATEGORIES || ns < 1 || ns > CHART_MAX_SERIES) {
        json_decref(in);
        return cli_fail("chart", "'categories' needs 1 to %d entries and 'series' 1 to %d",
                        CHART_MAX_CATEGORIES, CHART_MAX_SERIES);
    }
    for (size_t i = 0; i < nc; i++)
        categories[i] = json_string_value(json_array_get(cats, i));
    for (size_t k = 0; k < ns; k++) {
        json_t *s = json_array_get(ser, k), *v = json_object_get(s, "values");
        if (json_array_size(v) != nc) {
            json_decref(in);
            return cli_fail("chart", "series[%zu].values must have one value per category", k);
        }
        for (size_t i = 0; i < nc; i++) {
            json_t *x = json_array_get(v, i);
            values[k][i] = json_is_number(x) ? json_number_value(x) : CHART_GAP;
        }
        series[k] =
            (struct chart_series){json_string_value(json_object_get(s, "name")), values[k], nc};
    }
    const char *title = json_string_value(json_object_get(in, "title"));
    struct chart ch = {.title = title ? title : "Chart",
                       .x_label = json_string_value(json_object_get(in, "x_label")),
                       .y_label = json_string_value(json_object_get(in, "y_label")),
                       .categories = categories,
                       .ncategories = nc,
                       .series = series,
                       .nseries = ns,
                       .width = 720,
                       .height = 420};
    const char *kind = json_string_value(json_object_get(in, "kind"));
    struct buf out;
    buf_init(&out, 8 * 1024 * 1024);
    char err[256];
    rc = kind && strcmp(kind, "bar") == 0 ? chart_bar(&ch, CHART_SVG, &out, err, sizeof(err))
                                          : chart_line(&ch, CHART_SVG, &out, err, sizeof(err));
    if (rc == 0)
        fwrite(out.data, 1, out.len, stdout);
    buf_release(&out);
    json_decref(in);
    chart_shutdown();
    return rc == 0 ? 0 : cli_fail("chart", "%s", err);
}
