#pragma once

// A throwaway Redis server for one test program: scripts/redis-sandbox started in a temporary
// folder (127.0.0.1, a free port, nothing persisted), stopped and removed when this goes. No test
// is skipped for want of a server: the test starts one.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class RedisSandbox {
public:
    explicit RedisSandbox(const QStringList &options = {})
    {
        m_dir = m_parent.path() + QStringLiteral("/redis");
        QProcess p;
        p.start(script(), QStringList {QStringLiteral("start"), m_dir} + options);
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            m_error = QStringLiteral("scripts/redis-sandbox start failed (exit %1): %2")
                          .arg(p.exitCode())
                          .arg(QString::fromUtf8(p.readAllStandardError()));
            return;
        }
        m_url = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    }
    ~RedisSandbox() { run(QStringLiteral("stop")); }
    RedisSandbox(const RedisSandbox &) = delete;
    RedisSandbox &operator=(const RedisSandbox &) = delete;

    /// redis://[default:PW@]127.0.0.1:PORT (empty when the start failed)
    QString url() const { return m_url; }
    QString error() const { return m_error; }
    int port() const { return m_url.mid(m_url.lastIndexOf(u':') + 1).toInt(); }
    /// Stops the server and starts it again on the same port (keys gone, connections dropped).
    bool restart() { return run(QStringLiteral("restart")); }

private:
    static QString script() { return QStringLiteral(CACHESCOPE_SOURCE_DIR "/scripts/redis-sandbox"); }
    bool run(const QString &command)
    {
        QProcess p;
        p.start(script(), {command, m_dir});
        return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    QTemporaryDir m_parent;
    QString m_dir;
    QString m_url;
    QString m_error;
};
