// What the command line promises about the user's files, checked on the real binary: an output
// that names a file CacheScope did not write (the database itself, a text file, a device) is
// refused with exit 2 before anything runs, and the file stays byte-identical; a failed run keeps
// an earlier good report; the first SIGINT or SIGTERM stops a run with its results written and
// exits 130 / 143; a signal during the demo database's generation leaves no partial file, and
// partial files of killed processes are swept by the next start.
#include "clirunner.h"

#include "core/db/database.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
QByteArray hashOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                       : QByteArray("<missing>");
}

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TestUserFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

    QString file(const QString &name) const { return m_dir.filePath(name); }
    QStringList runArgs(const QStringList &more) const
    {
        QStringList arguments {u"run"_s, u"--duration"_s, u"0.4"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
            u"workload.concurrency=4"_s, u"--quiet"_s};
        arguments += more;
        return arguments;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = file(u"shop.db"_s);
        const CliOutcome created = runCachescope({u"demo-db"_s, u"--rows"_s, u"2000"_s, u"--out"_s, m_db});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        write(file(u"notes.txt"_s), "my notes, not a report\n");
        write(file(u"other.json"_s), "{\"tool\": \"another one\"}");
    }

    void outputsThatAreNotOursAreRefusedBeforeTheRun_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("protectedFile"); // must stay byte-identical
        QTest::addColumn<QString>("expected");
        const QString db = file(u"shop.db"_s);
        const QString notes = file(u"notes.txt"_s);
        QTest::addRow("hot set over the database") << QStringList {u"--set"_s, u"warmup.snapshot="_s + db, u"--set"_s,
            u"warmup.strategy=top-n"_s} << db << u"which this run reads"_s;
        QTest::addRow("hot set over a text file")
            << QStringList {u"--set"_s, u"warmup.snapshot="_s + notes} << notes << u"is not a hot-set snapshot"_s;
        QTest::addRow("report over a text file") << QStringList {u"--report"_s, file(u"other.json"_s)}
                                                 << file(u"other.json"_s) << u"is not a report CacheScope wrote"_s;
        QTest::addRow("JUnit over the database") << QStringList {u"--junit"_s, db} << db << u"which this run reads"_s;
        QTest::addRow("JUnit over a device")
            << QStringList {u"--junit"_s, u"/dev/null"_s} << db << u"'/dev/null' is a character device"_s;
        QTest::addRow("report under a file")
            << QStringList {u"--report"_s, notes + u"/r.json"_s} << notes << u"is not a directory"_s;
        QTest::addRow("one file named twice") << QStringList {u"--report"_s, file(u"twice.json"_s), u"--report"_s,
            file(u"twice.json"_s)} << db << u"named as an output twice"_s;
    }
    void outputsThatAreNotOursAreRefusedBeforeTheRun()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, protectedFile);
        QFETCH(QString, expected);
        const QByteArray before = hashOf(protectedFile);
        const CliOutcome o = runCachescope(runArgs(arguments), 60000);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
        QVERIFY2(o.out.isEmpty(), qPrintable(o.out)); // refused before the run: no summary
        QCOMPARE(hashOf(protectedFile), before);
        QCOMPARE(partialFiles(m_dir.path()), QStringList());
    }

    void tableThatDoesNotFitIsBadInput_data()
    {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("expected");
        QTest::addRow("empty table") << QByteArray("CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT);")
                                     << u"workload.read_ratio=1"_s << u"table 'products' has no rows to read"_s;
        QTest::addRow("text keys") << QByteArray("CREATE TABLE products(id TEXT PRIMARY KEY, name TEXT);"
                                                 "INSERT INTO products VALUES ('a', 'b');")
                                   << u"workload.read_ratio=1"_s << u"holds a value that is not an integer ('a')"_s;
        QTest::addRow("keys that repeat") << QByteArray("CREATE TABLE products(id INTEGER, name TEXT);"
                                                        "INSERT INTO products VALUES (1, 'a'), (2, 'b'), (2, 'c');")
                                          << u"workload.read_ratio=1"_s << u"is not unique (key 2"_s;
        QTest::addRow("shifting every 0 s")
            << QByteArray("CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO products VALUES (1, "
                          "'a');")
            << u"workload.shift_every=0s"_s << u"workload.shift_every: must be longer than 0"_s;
    }
    // Found once the table is read, still before anything runs: exit 2 and the message on
    // standard error, under --quiet too.
    void tableThatDoesNotFitIsBadInput()
    {
        QFETCH(QByteArray, sql);
        QFETCH(QString, setting);
        QFETCH(QString, expected);
        const QString db
            = file(u"table-"_s + QString::fromUtf8(QTest::currentDataTag()).replace(u' ', u'-') + u".db"_s);
        {
            cachescope::Database created(db, cachescope::Database::OpenMode::Create);
            created.exec(QString::fromUtf8(sql));
        }
        const CliOutcome o
            = runCachescope({u"run"_s, u"--duration"_s, u"0.4"_s, u"--set"_s, u"db.path="_s + db, u"--set"_s,
                                u"workload.distribution=shifting"_s, u"--set"_s, setting, u"--quiet"_s},
                60000);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
        QVERIFY2(o.out.isEmpty(), qPrintable(o.out));
    }

    // An error report does not replace the report of a run that did not fail, unless asked.
    void failedRunKeepsAnEarlierGoodReport()
    {
        const QString json = file(u"kept.json"_s);
        const QString junit = file(u"kept.xml"_s);
        const CliOutcome good = runCachescope(runArgs({u"--report"_s, json, u"--junit"_s, junit}));
        QVERIFY2(good.exitCode == 0 || good.exitCode == 1 || good.exitCode == 4, qPrintable(good.err));
        QVERIFY(readJson(json).value(u"error"_s).isNull());
        const QByteArray jsonBefore = hashOf(json);
        const QByteArray junitBefore = hashOf(junit);

        const QStringList failing {u"--set"_s, u"db.failure_rate=1"_s, u"--report"_s, json, u"--junit"_s, junit};
        const CliOutcome failed = runCachescope(runArgs(failing));
        QCOMPARE(failed.exitCode, 3);
        QVERIFY2(failed.err.contains(u"kept the earlier report '"_s + json), qPrintable(failed.err));
        QCOMPARE(hashOf(json), jsonBefore);
        QCOMPARE(hashOf(junit), junitBefore);

        const CliOutcome replaced = runCachescope(runArgs(failing + QStringList {u"--replace-on-error"_s}));
        QCOMPARE(replaced.exitCode, 3);
        QVERIFY(!readJson(json).value(u"error"_s).toString().isEmpty());
        QVERIFY(hashOf(junit) != junitBefore);
        QCOMPARE(partialFiles(m_dir.path()), QStringList());
    }

    void firstSignalStopsTheRunWithItsResults_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("name");
        QTest::addRow("SIGINT") << int(SIGINT) << 130 << u"SIGINT"_s;
        QTest::addRow("SIGTERM") << int(SIGTERM) << 143 << u"SIGTERM"_s;
    }
    void firstSignalStopsTheRunWithItsResults()
    {
        QFETCH(int, signal);
        QFETCH(int, exitCode);
        QFETCH(QString, name);
        const QString json = file(u"stopped-%1.json"_s.arg(name));
        QProcess process;
        QString err;
        QVERIFY2(startAndWaitForProgress(process,
                     {u"run"_s, u"--duration"_s, u"120"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
                         u"workload.concurrency=4"_s, u"--report"_s, json},
                     err),
            qPrintable(err));
        ::kill(pid_t(process.processId()), signal);
        QVERIFY2(process.waitForFinished(30000), "the run did not stop within 30 s of the signal");
        err += QString::fromUtf8(process.readAllStandardError());
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), exitCode);
        QVERIFY2(out.contains(u"the run was stopped before its planned end"_s), qPrintable(out));
        const QJsonObject result = readJson(json);
        QCOMPARE(result.value(u"stopped"_s).toBool(), true);
        QVERIFY(result.value(u"notes"_s).toArray().contains(QJsonValue(u"stopped by "_s + name)));
        QVERIFY(
            result.value(u"phases"_s).toObject().value(u"baseline"_s).toObject().value(u"requests"_s).toInteger() > 0);
        QCOMPARE(partialFiles(m_dir.path()), QStringList());
    }

    // The demo database takes seconds to generate: a signal then leaves neither it nor its partial file.
    void signalDuringDemoDatabaseLeavesNothing()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(u"big.db"_s);
        QProcess process;
        process.start(QStringLiteral(CACHESCOPE_BIN), {u"demo-db"_s, u"--rows"_s, u"20000000"_s, u"--out"_s, target});
        const QDeadlineTimer deadline(30000);
        while (partialFiles(dir.path()).isEmpty() && !deadline.hasExpired())
            QTest::qWait(20);
        QCOMPARE(partialFiles(dir.path()).size(), 1);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(u"stopped by SIGINT"_s));
        QVERIFY(!QFile::exists(target));
        QCOMPARE(partialFiles(dir.path()), QStringList());
    }

    // A WAL database in a folder the user cannot write: SQLite's "attempt to write a readonly
    // database" is explained (it needs a -shm file beside it), and nothing is written there.
    void walDatabaseInAReadOnlyFolderIsExplained()
    {
        QTemporaryDir dir;
        QTemporaryDir data;
        const QString folder = dir.filePath(u"shop"_s);
        QVERIFY(QDir().mkdir(folder));
        const QString db = folder + u"/shop.db"_s;
        QVERIFY(QFile::copy(m_db, db));
        const QString bin = dir.filePath(u"cachescope"_s);
        QVERIFY(QFile::copy(QStringLiteral(CACHESCOPE_BIN), bin));
        const auto everyone = QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
            | QFile::ExeOther;
        for (const QString &p : {dir.path(), folder, bin})
            QVERIFY(QFile::setPermissions(p, everyone));
        QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        QVERIFY(
            QFile::setPermissions(data.path(), everyone | QFile::WriteOwner | QFile::WriteGroup | QFile::WriteOther));
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, data.path());
        run.setProcessEnvironment(env);
        const QStringList arguments {u"run"_s, u"--set"_s, u"db.path="_s + db, u"--duration"_s, u"0.2"_s, u"--quiet"_s};
        // root may write anywhere: the run goes to an unprivileged user, as a user would meet it.
        if (::geteuid() == 0)
            run.start(u"runuser"_s, QStringList {u"-u"_s, u"nobody"_s, u"--"_s, bin} + arguments);
        else
            run.start(bin, arguments);
        QVERIFY(run.waitForFinished(60000));
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(err.contains(u"is in WAL mode"_s) && err.contains(u"'"_s + folder + u"' is not writable"_s),
            qPrintable(err));
        const QStringList left = QDir(folder).entryList(QDir::Files | QDir::Hidden);
        QFile::setPermissions(folder, everyone | QFile::WriteOwner); // so the folder can be removed
        QCOMPARE(left, QStringList {u"shop.db"_s});
    }

    // What a killed CacheScope left is removed by the next start; other files stay.
    void killedProcessesPartialFilesAreSwept()
    {
        QTemporaryDir dir;
        const QString dead = u"99999999"_s; // above any pid_max
        write(dir.filePath(u".big.db.cachescope-partial-"_s + dead), "half a database");
        write(dir.filePath(u".big.db.partial-"_s + dead), "half a database, older name");
        write(dir.filePath(u"keep.partial-"_s + dead), "not ours: no leading dot");
        const CliOutcome o
            = runCachescope({u"demo-db"_s, u"--rows"_s, u"10"_s, u"--out"_s, dir.filePath(u"small.db"_s)});
        QCOMPARE(o.exitCode, 0);
        QCOMPARE(partialFiles(dir.path()), QStringList {u"keep.partial-"_s + dead});
    }
};

QTEST_GUILESS_MAIN(TestUserFiles)
#include "tst_userfiles.moc"
