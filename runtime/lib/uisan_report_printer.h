// uisan_report_printer.h - formats a Report model as the sanitizer-style
// text block or as one JSON line. Pure functions of the model, so tests
// build a Report by hand and compare the output.
#ifndef UISAN_REPORT_PRINTER_H
#define UISAN_REPORT_PRINTER_H

#include "uisan_out.h"
#include "uisan_report.h"

namespace uisan {

/// Formatting settings taken from the options.
struct PrintOptions {
  const char *strip_path_prefix = "";
};

/// The text report: banner, WARNING line, stacks, SUMMARY line, banner.
void printReportText(const Report &report, const PrintOptions &options, Out &out);

/// One JSON object with the same fields, newline-terminated.
void printReportJson(const Report &report, const PrintOptions &options, Out &out);

/// `file` with `prefix` removed when it starts with it.
const char *stripPrefix(const char *file, const char *prefix);

} // namespace uisan

#endif
