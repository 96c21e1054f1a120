#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

/// What every subcommand shares: its streams, its messages, its option parsing.
namespace cachescope {
struct RunResult;
}

namespace cachescope::cli {

QTextStream &out();
QTextStream &err();
/// A message echoes what the user gave (a table name, a path, a value): control characters are
/// shown escaped and an echo of megabytes is cut, so the one line stays one readable line.
QString printable(const QString &message);
/// Prints "cachescope: MESSAGE" on stderr; returns kBadInput.
int badInput(const QString &message);
/// Parses the subcommand's options; returns an exit code when parsing ends the command (bad
/// options, --help).
std::optional<int> parse(QCommandLineParser &parser, const QStringList &arguments, const QString &command);

/// The exit code of a finished run's verdict: 3 after an error, else 1 when a criterion failed,
/// 4 when none failed but some could not be judged, 0 when every one passed.
int verdictExitCode(const RunResult &result);

/// The history, compare and report subcommands (app/historycli.cpp).
int history(const QStringList &arguments);
int compare(const QStringList &arguments);
int report(const QStringList &arguments);

} // namespace cachescope::cli
