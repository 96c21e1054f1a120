#pragma once

// A throwaway PostgreSQL cluster for one test program: scripts/pg-sandbox started in a
// temporary folder (on loopback, free ports, as an unprivileged user when run as root), stopped
// and removed when this goes. No test is skipped for want of a server: the test starts one.

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class PgSandbox {
public:
    explicit PgSandbox(bool replica = false)
    {
        // Run as root, the server's user must pass through this folder (no listing, no reading).
        QFile::setPermissions(m_parent.path(),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ExeGroup
                | QFileDevice::ExeOther);
        m_dir = m_parent.path() + QStringLiteral("/pg");
        QProcess p;
        QStringList arguments {QStringLiteral("start"), m_dir};
        if (replica)
            arguments << QStringLiteral("--replica");
        p.start(script(), arguments);
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            m_error = QStringLiteral("scripts/pg-sandbox start failed (exit %1): %2")
                          .arg(p.exitCode())
                          .arg(QString::fromUtf8(p.readAllStandardError()));
            return;
        }
        const QStringList urls = QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        m_url = urls.value(0);
        m_replicaUrl = urls.value(1);
    }
    ~PgSandbox()
    {
        QProcess p;
        p.start(script(), {QStringLiteral("stop"), m_dir});
        p.waitForFinished(60000);
    }
    PgSandbox(const PgSandbox &) = delete;
    PgSandbox &operator=(const PgSandbox &) = delete;

    /// postgresql://cachescope:PASSWORD@127.0.0.1:PORT/cachescope (empty when the start failed)
    QString url() const { return m_url; }
    QString replicaUrl() const { return m_replicaUrl; }
    QString error() const { return m_error; }
    /// The superuser's password (in the URL).
    QString password() const
    {
        const qsizetype colon = m_url.indexOf(u':', 13);
        return m_url.mid(colon + 1, m_url.indexOf(u'@') - colon - 1);
    }
    /// The URL of \a database on the same server, with another \a password when given.
    QString urlFor(const QString &database, const QString &otherPassword = {}) const
    {
        QString u = m_url.left(m_url.lastIndexOf(u'/') + 1) + database;
        if (!otherPassword.isNull())
            u.replace(QStringLiteral(":") + password() + QStringLiteral("@"),
                QStringLiteral(":") + otherPassword + QStringLiteral("@"));
        return u;
    }
    /// The primary's port.
    /// Stops the replica (the primary goes on): a replica that goes away. False when it could not.
    bool stopReplica()
    {
        QProcess p;
        p.start(script(), {QStringLiteral("stop-replica"), m_dir});
        return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    int port() const
    {
        const qsizetype at = m_url.lastIndexOf(u':');
        return m_url.mid(at + 1, m_url.lastIndexOf(u'/') - at - 1).toInt();
    }

private:
    static QString script() { return QStringLiteral(CACHESCOPE_SOURCE_DIR "/scripts/pg-sandbox"); }

    QTemporaryDir m_parent;
    QString m_dir;
    QString m_url;
    QString m_replicaUrl;
    QString m_error;
};
