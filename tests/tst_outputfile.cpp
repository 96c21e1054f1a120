// The rules for every file CacheScope writes: only regular files in writable directories, never
// over a file it did not write as the same kind nor over one of the run's inputs, atomically (a
// failed write leaves the old file and no partial file), and partial files that a killed process
// left are swept while those of running processes and everything else stay.
#include "core/io/outputfile.h"
#include "core/io/partialfiles.h"

#include "core/db/database.h"
#include "core/warmup/hotsetsnapshot.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cachescope;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(cachescope::OutputKind)

namespace {
constexpr auto kOwnReport = R"({"format_version": 1, "scenario": {}, "phases": {"baseline": null}, "error": null})";
constexpr auto kOwnJUnit = R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="cachescope acceptance" tests="0" failures="0" errors="0" skipped="0" time="0.000">
</testsuite>
)";

void put(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

QStringList hiddenPartials(const QString &dir)
{
    return QDir(dir).entryList({u"*partial*"_s, u"*saving*"_s}, QDir::Files | QDir::Hidden | QDir::System);
}
} // namespace

class TestOutputFile : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString file(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        put(file(u"notes.txt"_s), "my notes\n");
        put(file(u"foreign.json"_s), R"({"name": "not a CacheScope result"})");
        put(file(u"foreign.xml"_s), R"(<testsuite name="another tool"/>)");
        put(file(u"own.json"_s), kOwnReport);
        put(file(u"own.xml"_s), kOwnJUnit);
        put(file(u"empty"_s), {});
        put(file(u"own-scenario.json"_s), R"({"db": {"table": "products"}, "workload": {"keys": 5}, "criteria": []})");
        put(file(u"scenario-like.json"_s), R"({"db": {}, "workload": {}, "name": "another tool"})");
        {
            Database db(file(u"shop.db"_s), Database::OpenMode::Create);
            db.exec(u"CREATE TABLE products(id INTEGER PRIMARY KEY); INSERT INTO products VALUES (1);"_s);
        }
        {
            Database other(file(u"other.db"_s), Database::OpenMode::Create); // another program's database
            // With an application id of its own, as a GeoPackage ('GPKG') has.
            other.exec(u"PRAGMA application_id = 1196444487; CREATE TABLE t(x); INSERT INTO t VALUES (1);"_s);
        }
        // The database's companions, as SQLite leaves them: an empty -wal and -journal, a -shm.
        put(file(u"shop.db-wal"_s), {});
        put(file(u"shop.db-journal"_s), {});
        put(file(u"shop.db-shm"_s), QByteArray(32768, '\0'));
        HotSet hot;
        hot.table = u"products"_s;
        hot.keyColumn = u"id"_s;
        HotSetSnapshot::save(file(u"own.hotset"_s), hot);
        QVERIFY(::link(QFile::encodeName(file(u"shop.db"_s)).constData(),
                    QFile::encodeName(file(u"hardlink.json"_s)).constData())
            == 0);
        QVERIFY(QFile::link(file(u"notes.txt"_s), file(u"link-to-notes.json"_s)));
        QVERIFY(QFile::link(file(u"own.json"_s), file(u"link-to-own.json"_s)));
        QVERIFY(::mkfifo(QFile::encodeName(file(u"fifo.json"_s)).constData(), 0600) == 0);
        QVERIFY(QDir(m_dir.path()).mkdir(u"folder.json"_s));
    }

    void checkRefusesWhatIsNotOurs_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<OutputKind>("kind");
        QTest::addColumn<QString>("expected"); // empty: may be written
        const QString notOurs = u"is not a "_s;
        QTest::addRow("a new file") << u"new.json"_s << OutputKind::JsonReport << QString();
        QTest::addRow("an empty file") << u"empty"_s << OutputKind::JsonReport << QString();
        QTest::addRow("our report") << u"own.json"_s << OutputKind::JsonReport << QString();
        QTest::addRow("our JUnit report") << u"own.xml"_s << OutputKind::JUnitReport << QString();
        QTest::addRow("our hot set") << u"own.hotset"_s << OutputKind::HotSetSnapshot << QString();
        QTest::addRow("our scenario") << u"own-scenario.json"_s << OutputKind::ScenarioFile << QString();
        QTest::addRow("a JSON with more than a scenario's groups")
            << u"scenario-like.json"_s << OutputKind::ScenarioFile << notOurs;
        QTest::addRow("another tool's JSON as scenario") << u"foreign.json"_s << OutputKind::ScenarioFile << notOurs;
        QTest::addRow("our report as scenario") << u"own.json"_s << OutputKind::ScenarioFile << notOurs;
        QTest::addRow("a link to our report") << u"link-to-own.json"_s << OutputKind::JsonReport << QString();
        QTest::addRow("a text file as report") << u"notes.txt"_s << OutputKind::JsonReport << notOurs;
        QTest::addRow("a text file as hot set") << u"notes.txt"_s << OutputKind::HotSetSnapshot << notOurs;
        QTest::addRow("another tool's JSON") << u"foreign.json"_s << OutputKind::JsonReport << notOurs;
        QTest::addRow("another tool's JUnit") << u"foreign.xml"_s << OutputKind::JUnitReport << notOurs;
        QTest::addRow("our report as JUnit") << u"own.json"_s << OutputKind::JUnitReport << notOurs;
        QTest::addRow("our JUnit as report") << u"own.xml"_s << OutputKind::JsonReport << notOurs;
        QTest::addRow("our report as hot set") << u"own.json"_s << OutputKind::HotSetSnapshot << notOurs;
        QTest::addRow("a database as hot set")
            << u"shop.db"_s << OutputKind::HotSetSnapshot << u"which this run reads"_s;
        QTest::addRow("another program's database as hot set")
            << u"other.db"_s << OutputKind::HotSetSnapshot << notOurs;
        QTest::addRow("the database's empty -wal")
            << u"shop.db-wal"_s << OutputKind::JsonReport << u"which this run reads"_s;
        QTest::addRow("the database's empty -journal")
            << u"shop.db-journal"_s << OutputKind::JUnitReport << u"which this run reads"_s;
        QTest::addRow("the database's -shm")
            << u"shop.db-shm"_s << OutputKind::HotSetSnapshot << u"which this run reads"_s;
        QTest::addRow("a hard link to the database")
            << u"hardlink.json"_s << OutputKind::JsonReport << u"which this run reads"_s;
        QTest::addRow("a link to a text file") << u"link-to-notes.json"_s << OutputKind::JsonReport << notOurs;
        QTest::addRow("a pipe") << u"fifo.json"_s << OutputKind::JsonReport << u"is a pipe"_s;
        QTest::addRow("a directory") << u"folder.json"_s << OutputKind::JsonReport << u"is a directory"_s;
        QTest::addRow("a device") << u"/dev/null"_s << OutputKind::JUnitReport << u"is a character device"_s;
        QTest::addRow("in a missing folder") << u"no/such/r.json"_s << OutputKind::JsonReport << u"does not exist"_s;
        QTest::addRow("under a file") << u"notes.txt/r.json"_s << OutputKind::JsonReport << u"is not a directory"_s;
        QTest::addRow("no name") << QString() << OutputKind::JsonReport << u"no file given"_s;
    }
    void checkRefusesWhatIsNotOurs()
    {
        QFETCH(QString, name);
        QFETCH(OutputKind, kind);
        QFETCH(QString, expected);
        const QString path = name.isEmpty() || name.startsWith(u'/') ? name : file(name);
        const QString problem = OutputFile::check(path, kind, {file(u"shop.db"_s)});
        if (expected.isEmpty()) {
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        } else {
            QVERIFY2(problem.contains(expected), qPrintable(problem));
            QVERIFY2(name.isEmpty() || problem.contains(path), qPrintable(problem)); // names the file
        }
    }

    void refusedWriteLeavesTheFileAsItWas_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<OutputKind>("kind");
        QTest::addRow("text file") << u"notes.txt"_s << OutputKind::JsonReport;
        QTest::addRow("database") << u"shop.db"_s << OutputKind::JUnitReport;
        QTest::addRow("link to a text file") << u"link-to-notes.json"_s << OutputKind::JsonReport;
    }
    void refusedWriteLeavesTheFileAsItWas()
    {
        QFETCH(QString, name);
        QFETCH(OutputKind, kind);
        const QByteArray before = contents(file(name));
        QVERIFY(!OutputFile::write(file(name), kind, "{}").isEmpty());
        QCOMPARE(contents(file(name)), before);
        QVERIFY(QFileInfo(file(u"link-to-notes.json"_s)).isSymLink());
        QCOMPARE(hiddenPartials(m_dir.path()), QStringList());
    }

    void writeReplacesOwnFileAndKeepsItsMode()
    {
        const QString path = file(u"mode.json"_s);
        put(path, kOwnReport);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        const QByteArray next = QByteArray(kOwnReport).replace("null}", "\"x\"}");
        QCOMPARE(OutputFile::write(path, OutputKind::JsonReport, next), QString());
        QCOMPARE(contents(path), next);
        QCOMPARE(QFile::permissions(path) & 0x7077, QFile::ReadOwner | QFile::WriteOwner); // owner, group, others
        // Through a link: the file it names is replaced, the link stays a link.
        QCOMPARE(OutputFile::write(file(u"link-to-own.json"_s), OutputKind::JsonReport, next), QString());
        QVERIFY(QFileInfo(file(u"link-to-own.json"_s)).isSymLink());
        QCOMPARE(contents(file(u"own.json"_s)), next);
        QCOMPARE(hiddenPartials(m_dir.path()), QStringList());
    }

    void failedWriteKeepsTheOldFileAndNoPartial()
    {
        // A file size limit makes write(2) fail as a full disk does, half-way through.
        const QString path = file(u"full.json"_s);
        put(path, kOwnReport);
        const QByteArray big = QByteArray(kOwnReport) + QByteArray(1 << 20, ' ');
        rlimit old {};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = old;
        small.rlim_cur = 64 * 1024;
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        const QString problem = OutputFile::write(path, OutputKind::JsonReport, big);
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previousHandler);
        QVERIFY2(problem.contains(u"cannot write report"_s) && problem.contains(path), qPrintable(problem));
        QCOMPARE(contents(path), QByteArray(kOwnReport));
        QCOMPARE(hiddenPartials(m_dir.path()), QStringList());
    }

    void sweepRemovesOnlyDeadProcessesPartials()
    {
        QTemporaryDir dir;
        const auto touch = [&](const QString &name) { put(dir.filePath(name), "x"); };
        // A pid that cannot run: above the kernel's pid_max.
        const QString dead = u"99999999"_s;
        const QString alive = QString::number(::getppid());
        const QStringList removed {u".r.json.cachescope-partial-"_s + dead, u".demo.db.partial-"_s + dead,
            u".demo.db.partial-"_s + dead + u"-wal"_s, u"products-1.hotset.saving-"_s + dead};
        const QStringList kept {u".r.json.cachescope-partial-"_s + alive, u"r.json"_s, u"notes.partial-1"_s,
            u".hidden"_s, u"x.saving-"_s, u".r.json.cachescope-partial-12ab"_s};
        for (const QString &name : removed + kept)
            touch(name);
        QCOMPARE(PartialFiles::sweep(dir.path()), int(removed.size()));
        QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
        left.sort();
        QStringList expected = kept;
        expected.sort();
        QCOMPARE(left, expected);
    }

    void signalCleanupRemovesRegisteredPartials()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(u"big.db"_s);
        const QString partial = PartialFiles::pathFor(target);
        QVERIFY(QFileInfo(partial).fileName().startsWith(u".big.db.cachescope-partial-"_s));
        put(partial, "half");
        put(partial + u"-wal"_s, "half");
        QVERIFY(PartialFiles::add(partial));
        PartialFiles::removeAllNow();
        QVERIFY(!QFile::exists(partial));
        QVERIFY(!QFile::exists(partial + u"-wal"_s));
        PartialFiles::remove(partial);
        // Forgotten paths are left alone.
        put(partial, "again");
        PartialFiles::removeAllNow();
        QVERIFY(QFile::exists(partial));
    }

    void partialFileIsRemovedUnlessCommitted()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(u"out.db"_s);
        {
            PartialFile partial(target);
            put(partial.path(), "unfinished");
        }
        QCOMPARE(hiddenPartials(dir.path()), QStringList());
        QVERIFY(!QFile::exists(target));
        put(target, "someone else's");
        {
            PartialFile partial(target);
            put(partial.path(), "new");
            QVERIFY(!partial.commit(false).isEmpty()); // no replacing
        }
        QCOMPARE(contents(target), QByteArray("someone else's"));
        QCOMPARE(hiddenPartials(dir.path()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestOutputFile)
#include "tst_outputfile.moc"
