// Hot-set snapshots: round-trip; missing, empty, corrupt, truncated and foreign files are
// reported (never a crash) and left as they were; an interrupted save keeps the previous one.
#include "core/db/database.h"
#include "core/warmup/hotsetsnapshot.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

class TestHotSetSnapshot : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    static HotSet sample(int keys)
    {
        HotSet h;
        h.database = u"/data/shop.db"_s;
        h.table = u"products"_s;
        h.keyColumn = u"id"_s;
        h.savedAt = QDateTime(QDate(2026, 11, 26), QTime(4, 5, 6, 789), Qt::UTC);
        h.observed = 123456;
        for (int i = 0; i < keys; ++i)
            h.keys.push_back({i * 11 + 1, std::uint64_t(100000 / (i + 1)), std::uint64_t(i % 3)});
        h.suggestedKeys = keys / 2;
        h.coverage = 0.9;
        return h;
    }
    static QByteArray hashOf(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                           : QByteArray();
    }

private Q_SLOTS:
    void snapshotReadsBackWhatWasSaved_data()
    {
        QTest::addColumn<int>("keys");
        QTest::addRow("empty hot set") << 0;
        QTest::addRow("one key") << 1;
        QTest::addRow("20000 keys") << 20000;
    }
    void snapshotReadsBackWhatWasSaved()
    {
        QFETCH(int, keys);
        const QString path = m_dir.filePath(u"round-%1.hotset"_s.arg(keys));
        const HotSet saved = sample(keys);
        HotSetSnapshot::save(path, saved);
        QCOMPARE(HotSetSnapshot::load(path), saved);
        QCOMPARE(HotSetSnapshot::loadFor(path, u"/data/shop.db"_s, u"products"_s, u"id"_s), saved);
        // Nothing left behind but the snapshot.
        QCOMPARE(QDir(m_dir.path()).entryList({u"*round-%1*"_s.arg(keys)}, QDir::Files | QDir::Hidden).size(), 1);
    }

    void unusableFilesAreReported_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");
        QTest::addRow("missing") << u"missing"_s << u"no hot-set snapshot at"_s;
        QTest::addRow("empty") << u"empty"_s << u"is empty"_s;
        QTest::addRow("not SQLite") << u"text"_s << u"cannot read the hot-set snapshot"_s;
        QTest::addRow("truncated file") << u"cut"_s << u"hot-set snapshot"_s;
        QTest::addRow("rows missing") << u"rows"_s << u"is truncated (2 of its 5 keys)"_s;
        QTest::addRow("other SQLite database") << u"foreign"_s << u"is not a CacheScope hot-set snapshot"_s;
        QTest::addRow("newer format") << u"version"_s << u"of format 7"_s;
        QTest::addRow("another table") << u"table"_s << u"belongs to orders.id"_s;
    }
    void unusableFilesAreReported()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(kind + u".hotset"_s);
        if (kind == u"empty"_s) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
        } else if (kind == u"text"_s) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        } else if (kind == u"cut"_s) {
            HotSetSnapshot::save(path, sample(20000));
            QFile f(path);
            QVERIFY(f.resize(f.size() / 3));
        } else if (kind == u"rows"_s) {
            HotSetSnapshot::save(path, sample(5));
            Database db(path, Database::OpenMode::ReadWrite);
            db.exec(u"DELETE FROM hot_keys WHERE rank >= 2"_s);
        } else if (kind == u"foreign"_s) {
            Database db(path, Database::OpenMode::Create);
            db.exec(u"CREATE TABLE t(x); INSERT INTO t VALUES (1);"_s);
        } else if (kind == u"version"_s) {
            HotSetSnapshot::save(path, sample(3));
            Database db(path, Database::OpenMode::ReadWrite);
            db.exec(u"PRAGMA user_version=7"_s);
        } else if (kind == u"table"_s) {
            HotSet other = sample(3);
            other.table = u"orders"_s;
            HotSetSnapshot::save(path, other);
        }
        const QByteArray before = hashOf(path);
        try {
            HotSetSnapshot::loadFor(path, u"/data/shop.db"_s, u"products"_s, u"id"_s);
            QFAIL("an unusable snapshot was accepted");
        } catch (const SnapshotError &error) {
            QVERIFY2(error.message().contains(message), qPrintable(error.message()));
            QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        }
        QCOMPARE(hashOf(path), before); // never modified
    }

    // A save that fails before the new file replaces the old one leaves the old one whole.
    void interruptedSaveKeepsThePrevious()
    {
        const QString path = m_dir.filePath(u"keep.hotset"_s);
        const HotSet first = sample(100);
        HotSetSnapshot::save(path, first);
        const QByteArray before = hashOf(path);
        try {
            HotSetSnapshot::save(path, sample(5000), [] { throw std::runtime_error("power cut"); });
            QFAIL("the interrupted save did not fail");
        } catch (const SnapshotError &error) {
            QVERIFY2(error.message().contains(u"power cut"_s), qPrintable(error.message()));
        }
        QCOMPARE(hashOf(path), before);
        QCOMPARE(HotSetSnapshot::load(path), first);
        QCOMPARE(QDir(m_dir.path()).entryList({u"*keep.hotset*"_s}, QDir::Files | QDir::Hidden),
            QStringList {u"keep.hotset"_s});
    }

    // warmup.snapshot may name any file: one that is not a snapshot is refused and left as it was.
    void saveNeverReplacesAnotherFile_data()
    {
        QTest::addColumn<QByteArray>("bytes"); // empty: an SQLite database that is not a snapshot
        QTest::addRow("text file") << QByteArray("my notes\n");
        QTest::addRow("JSON") << QByteArray(R"({"format_version": 1, "scenario": {}, "phases": {}})");
        QTest::addRow("SQLite database") << QByteArray();
    }
    void saveNeverReplacesAnotherFile()
    {
        QFETCH(QByteArray, bytes);
        const QString path
            = m_dir.filePath(u"foreign-"_s + QString::fromUtf8(QTest::currentDataTag()).replace(u' ', u'-'));
        if (bytes.isEmpty()) {
            Database db(path, Database::OpenMode::Create);
            db.exec(u"CREATE TABLE products(id INTEGER PRIMARY KEY); INSERT INTO products VALUES (7);"_s);
        } else {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        }
        const QByteArray before = hashOf(path);
        try {
            HotSetSnapshot::save(path, sample(10));
            QFAIL("a file that is not a snapshot was replaced");
        } catch (const SnapshotError &error) {
            QVERIFY2(error.message().contains(u"not a hot-set snapshot"_s), qPrintable(error.message()));
            QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        }
        QCOMPARE(hashOf(path), before);
        QCOMPARE(QDir(m_dir.path()).entryList({u"*foreign-*partial*"_s}, QDir::Files | QDir::Hidden), QStringList());
    }

    void saveIntoAnUnwritablePlaceFails()
    {
        try {
            HotSetSnapshot::save(u"/proc/no/such/dir/x.hotset"_s, sample(1));
            QFAIL("saved into /proc");
        } catch (const SnapshotError &error) {
            QVERIFY(error.message().contains(u"cannot"_s));
        }
    }

    // Each database, table and key column has its own default file.
    void defaultPathsDiffer()
    {
        const QString a = HotSetSnapshot::defaultPath(u"/a.db"_s, u"products"_s, u"id"_s);
        QVERIFY(a.endsWith(u".hotset"_s));
        QVERIFY(a != HotSetSnapshot::defaultPath(u"/b.db"_s, u"products"_s, u"id"_s));
        QVERIFY(a != HotSetSnapshot::defaultPath(u"/a.db"_s, u"orders"_s, u"id"_s));
        QVERIFY(a != HotSetSnapshot::defaultPath(u"/a.db"_s, u"products"_s, u"sku"_s));
        QCOMPARE(a, HotSetSnapshot::defaultPath(u"/a.db"_s, u"products"_s, u"id"_s));
    }
};

QTEST_GUILESS_MAIN(TestHotSetSnapshot)
#include "tst_hotsetsnapshot.moc"
