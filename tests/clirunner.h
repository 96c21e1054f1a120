#pragma once
// The real cachescope binary in a separate process, as scripts run it.
#include <QProcess>
#include <QString>
#include <QStringList>

struct CliOutcome {
    int exitCode = -1; ///< -1: did not finish in time; -2: crashed
    QString out; ///< standard output
    QString err; ///< standard error
};

inline CliOutcome runCachescope(const QStringList &arguments, int timeoutMs = 120000, const QString &workDir = {})
{
    QProcess process;
    if (!workDir.isEmpty())
        process.setWorkingDirectory(workDir);
    process.start(QStringLiteral(CACHESCOPE_BIN), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}
