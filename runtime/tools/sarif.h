// sarif.h - uisan-run --sarif: the runtime's reports (its JSON lines) as a
// SARIF 2.1.0 log, so CI uploads them to code scanning beside uisan-tidy's.
// Each report is a result: its SUMMARY frame is the location, and its
// stacks (the offending stack, the thread's creation stack, where the run
// ended) are the thread flows of one code flow.
#ifndef UISAN_SARIF_H
#define UISAN_SARIF_H

#include <string>

namespace uisan {

/// Converts JSON lines (libuisan's json_path format) to a SARIF document.
/// A line that is not a report object is skipped and counted in `skipped`.
std::string sarifFromJsonLines(const std::string &lines, const std::string &tool_version,
                               int &skipped);

/// `path` as a SARIF URI: "file://" + path for an absolute path, the path
/// itself (percent-encoded) for a relative one.
std::string sarifUri(const std::string &path);

} // namespace uisan

#endif
