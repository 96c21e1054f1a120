// Faults while a run goes on, on the real binary: failing and stalling statements, another
// process holding the database's lock, the database removed or replaced under the run, a full
// disk while the reports are written, a data folder that cannot be written. Each run goes on or
// stops with a clear message, counts what failed, keeps its phases to their planned length, and
// leaves no partial file.
#include "clirunner.h"

#include "core/db/database.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace {
QJsonObject phase(const QJsonObject &result, const QString &name)
{
    return result.value(u"phases"_s).toObject().value(name).toObject();
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

    QString file(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = file(u"shop.db"_s);
        const CliOutcome created = runCachescope({u"demo-db"_s, u"--rows"_s, u"2000"_s, u"--out"_s, m_db});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    }

    // Failing and stalling statements: counted, the run finishes, the phases keep their length.
    void failingAndStallingStatementsAreCounted_data()
    {
        QTest::addColumn<QStringList>("settings");
        QTest::addColumn<double>("lowest"); // share of the baseline's requests that fail
        QTest::addColumn<double>("highest");
        QTest::addRow("a fifth fail") << QStringList {u"db.failure_rate=0.2"_s} << 0.15 << 0.25;
        // 0.2^4: 0.16 % still fail after three retries
        QTest::addRow("a fifth fail, retried")
            << QStringList {u"db.failure_rate=0.2"_s, u"db.retries=3"_s} << 0.0 << 0.01;
        QTest::addRow("15 s stalls") << QStringList {u"db.stall=15s"_s, u"db.stall_every=500"_s} << 0.0 << 0.0;
    }
    void failingAndStallingStatementsAreCounted()
    {
        QFETCH(QStringList, settings);
        QFETCH(double, lowest);
        QFETCH(double, highest);
        const QString json = file(u"faults-%1.json"_s.arg(QString::fromUtf8(QTest::currentDataTag()).size()));
        QStringList arguments {u"run"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s, u"duration.baseline=500ms"_s,
            u"--set"_s, u"duration.cached=500ms"_s, u"--set"_s, u"workload.concurrency=4"_s, u"--report"_s, json,
            u"--quiet"_s};
        for (const QString &s : settings)
            arguments << u"--set"_s << s;
        const CliOutcome o = runCachescope(arguments, 60000);
        QVERIFY2(o.exitCode == 0 || o.exitCode == 1 || o.exitCode == 4, qPrintable(o.err + o.out));
        const QJsonObject result = readJson(json);
        for (const QString &name : {u"baseline"_s, u"cached"_s}) {
            const QJsonObject p = phase(result, name);
            QVERIFY2(p.value(u"requests"_s).toInteger() > 0, qPrintable(name));
            // Stalls are cut short at the phase's end: 500 ms phases stay near 500 ms.
            QVERIFY2(p.value(u"duration_s"_s).toDouble() < 1.0, qPrintable(name));
        }
        const QJsonObject baseline = phase(result, u"baseline"_s);
        const double failed
            = double(baseline.value(u"errors"_s).toInteger()) / double(baseline.value(u"requests"_s).toInteger());
        QVERIFY2(failed >= lowest && failed <= highest, qPrintable(QString::number(failed)));
        // (Whether a phase ran "past its planned" length is a matter of timing on a loaded machine,
        // not of the faults: the phases' lengths above say what this test needs.)
    }

    // Another process holds an exclusive lock on a rollback-journal database for longer than the
    // run: the phases end as planned (the busy wait is cut short) and the lock holder's data stays.
    void anotherProcessesLockDoesNotHoldThePhases()
    {
        const QString db = file(u"locked.db"_s);
        QVERIFY(QFile::copy(m_db, db));
        {
            cachescope::Database d(db, cachescope::Database::OpenMode::ReadWrite);
            d.exec(u"PRAGMA journal_mode=DELETE"_s);
        }
        const QString json = file(u"locked.json"_s);
        QProcess run;
        QString progress;
        QVERIFY(startAndWaitForProgress(run,
            {u"run"_s, u"--set"_s, u"db.path="_s + db, u"--set"_s, u"duration.baseline=3s"_s, u"--set"_s,
                u"duration.cached=2s"_s, u"--set"_s, u"workload.concurrency=4"_s, u"--report"_s, json},
            progress));
        {
            cachescope::Database writer(db, cachescope::Database::OpenMode::ReadWrite);
            writer.exec(u"BEGIN EXCLUSIVE; UPDATE products SET stock = 424242 WHERE id = 1;"_s);
            // Held until the run has ended: it must end without the lock.
            QVERIFY2(run.waitForFinished(30000), "the run waited for the lock");
            writer.exec(u"COMMIT"_s);
        }
        // No phase ran past its plan (the run's own account: a statement that kept a worker
        // waiting for the lock beyond the phase's end would be noted).
        const QJsonObject result = readJson(json);
        QVERIFY2(!QJsonDocument(result.value(u"notes"_s).toArray()).toJson().contains("past its planned"),
            QJsonDocument(result.value(u"notes"_s).toArray()).toJson().constData());
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QVERIFY2(run.exitCode() == 0 || run.exitCode() == 1 || run.exitCode() == 3 || run.exitCode() == 4,
            qPrintable(QString::fromUtf8(run.readAllStandardError())));
        cachescope::Database check(db, cachescope::Database::OpenMode::ReadOnly);
        cachescope::Statement st = check.prepare(u"SELECT stock FROM products WHERE id = 1"_s);
        QVERIFY(st.step());
        QCOMPARE(st.columnInt64(0), 424242);
    }

    // The database removed, or another file renamed over it, while the run reads it: the run
    // goes on with the file it opened (POSIX keeps it), or ends with a message; never a crash.
    void databaseRemovedOrReplacedMidRun_data()
    {
        QTest::addColumn<bool>("replace");
        QTest::addRow("removed") << false;
        QTest::addRow("replaced") << true;
    }
    void databaseRemovedOrReplacedMidRun()
    {
        QFETCH(bool, replace);
        const QString db = file(u"moving.db"_s);
        QFile::remove(db);
        QVERIFY(QFile::copy(m_db, db));
        const QString json = file(u"moving.json"_s);
        QProcess run;
        QString progress;
        QVERIFY(startAndWaitForProgress(run,
            {u"run"_s, u"--set"_s, u"db.path="_s + db, u"--set"_s, u"duration.baseline=2s"_s, u"--set"_s,
                u"duration.cached=2s"_s, u"--set"_s, u"workload.concurrency=4"_s, u"--report"_s, json},
            progress));
        if (replace) {
            const QString other = file(u"other.db"_s);
            QFile::remove(other);
            {
                cachescope::Database d(other, cachescope::Database::OpenMode::Create);
                d.exec(u"CREATE TABLE t(x)"_s);
            }
            QVERIFY(std::rename(QFile::encodeName(other).constData(), QFile::encodeName(db).constData()) == 0);
        } else {
            QVERIFY(QFile::remove(db));
        }
        QVERIFY(run.waitForFinished(30000));
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QVERIFY2(
            run.exitCode() == 0 || run.exitCode() == 1 || run.exitCode() == 3 || run.exitCode() == 4, qPrintable(err));
        if (run.exitCode() == 3)
            QVERIFY2(err.contains(u"cachescope"_s), qPrintable(err));
        else
            QVERIFY(phase(readJson(json), u"cached"_s).value(u"requests"_s).toInteger() > 0);
        QCOMPARE(partialFiles(m_dir.path()), QStringList());
    }

    // A disk that fills while the reports are written (a file size limit on the process): the
    // run says which report could not be written, exits 3, keeps the earlier report whole and
    // leaves no partial file.
    void fullDiskWhileWritingReportsLeavesNoPartialFile()
    {
        const QString json = file(u"full.json"_s);
        QFile::remove(json);
        // A rollback-journal copy: reading a WAL database needs its 32 KB -shm file.
        const QString db = file(u"journal.db"_s);
        QVERIFY(QFile::copy(m_db, db));
        {
            cachescope::Database d(db, cachescope::Database::OpenMode::ReadWrite);
            d.exec(u"PRAGMA journal_mode=DELETE"_s);
        }
        QProcess run;
        run.setChildProcessModifier([] {
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit limit {4096, 4096};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
        run.start(QStringLiteral(CACHESCOPE_BIN),
            {u"run"_s, u"--set"_s, u"db.path="_s + db, u"--set"_s, u"duration.baseline=300ms"_s, u"--set"_s,
                u"duration.cached=300ms"_s, u"--report"_s, json, u"--quiet"_s});
        QVERIFY(run.waitForFinished(60000));
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QCOMPARE(run.exitCode(), 3);
        QVERIFY2(err.contains(u"cannot write report '"_s + json + u"': File too large"_s), qPrintable(err));
        QVERIFY(!QFile::exists(json));
        QCOMPARE(partialFiles(m_dir.path()), QStringList());
    }

    // A data folder that cannot be made: the run goes on without saving its hot set and says so;
    // without a database of its own to fall back on, it says it cannot make the demo database.
    void unwritableDataFolderIsReported()
    {
        const QString blocker = file(u"not-a-folder"_s);
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, blocker + u"/data"_s);
        run.setProcessEnvironment(env);
        run.start(QStringLiteral(CACHESCOPE_BIN),
            {u"run"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s, u"duration.baseline=300ms"_s, u"--set"_s,
                u"duration.cached=300ms"_s});
        QVERIFY(run.waitForFinished(60000));
        const QString out = QString::fromUtf8(run.readAllStandardOutput());
        QVERIFY2(run.exitCode() == 0 || run.exitCode() == 1 || run.exitCode() == 4,
            qPrintable(QString::fromUtf8(run.readAllStandardError())));
        QVERIFY2(out.contains(u"cannot save the hot set"_s), qPrintable(out));

        QProcess demo;
        demo.setProcessEnvironment(env);
        demo.start(QStringLiteral(CACHESCOPE_BIN), {u"run"_s, u"--duration"_s, u"0.5"_s, u"--quiet"_s});
        QVERIFY(demo.waitForFinished(60000));
        const QString err = QString::fromUtf8(demo.readAllStandardError());
        QVERIFY2(demo.exitCode() == 2 || demo.exitCode() == 3, qPrintable(err));
        QVERIFY2(err.contains(u"demo database"_s) || err.contains(blocker), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
