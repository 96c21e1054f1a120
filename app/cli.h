#pragma once

#include <QStringList>

namespace cachescope::cli {

/// Exit codes scripts rely on (DESIGN.md).
enum ExitCode : int {
    kPassed = 0, ///< every acceptance criterion passed
    kFailed = 1, ///< a criterion failed
    kBadInput = 2, ///< bad input, with a message naming it
    kRunError = 3, ///< a failure while running
    kInconclusive = 4, ///< no criterion failed, but some could not be judged (not measured, too little data)
};

/// True when \a name is a headless subcommand.
bool isSubcommand(const QString &name);
/// Runs a subcommand; \a arguments starts with the program name, then the subcommand.
/// Needs a QCoreApplication.
int runSubcommand(const QStringList &arguments);
/// Removes the partial files that killed CacheScope processes left in the data folder (and its
/// subfolders) and in the folders of \a outputs.
void sweepPartialFiles(const QStringList &outputs = {});
/// The top-level help text.
QString usage();

} // namespace cachescope::cli
