#pragma once
// The real cachescope binary in a separate process, as scripts run it.
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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

/// Starts the binary with \a arguments and waits until its progress on standard error shows
/// \a lines lines of req/s (the second means the run is well under way); false after \a ms or when
/// the process ended first. What it printed so far goes to \a err.
inline bool startAndWaitForProgress(
    QProcess &process, const QStringList &arguments, QString &err, int lines = 2, int ms = 30000)
{
    process.start(QStringLiteral(CACHESCOPE_BIN), arguments);
    const QDeadlineTimer deadline(ms);
    while (err.count(QStringLiteral(" req/s ")) < lines) {
        if (deadline.hasExpired() || process.state() == QProcess::NotRunning)
            return false;
        process.waitForReadyRead(100);
        err += QString::fromUtf8(process.readAllStandardError());
    }
    return true;
}

/// The JSON object in \a path (a result the binary wrote), or an empty one.
inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

/// Partial files (this version's and the older names) left in \a dir.
inline QStringList partialFiles(const QString &dir)
{
    return QDir(dir).entryList(
        {QStringLiteral("*partial*"), QStringLiteral("*saving*")}, QDir::Files | QDir::Hidden | QDir::System);
}
