// The demo database generator: deterministic per seed, the rows and schema promised, never
// overwriting a file, and failing with a clear message on bad input.
#include "core/db/database.h"
#include "core/db/demodatabase.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
QByteArray contentHash(const QString &file)
{
    Database db(file, Database::OpenMode::ReadOnly);
    Statement select = db.prepare(u"SELECT * FROM products ORDER BY id"_s);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    while (select.step()) {
        for (int c = 0; c < select.columnCount(); ++c)
            hash.addData(QByteArray(select.columnText(c).toUtf8() + '\x1f'));
    }
    return hash.result();
}
} // namespace

class TestDemoDatabase : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void sameSeedSameData_data()
    {
        QTest::addColumn<quint64>("seedA");
        QTest::addColumn<quint64>("seedB");
        QTest::addColumn<bool>("same");
        QTest::addRow("same seed") << quint64(42) << quint64(42) << true;
        QTest::addRow("other seed") << quint64(42) << quint64(43) << false;
    }
    void sameSeedSameData()
    {
        QFETCH(quint64, seedA);
        QFETCH(quint64, seedB);
        QFETCH(bool, same);
        const QString a = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u"-a.db"_s);
        const QString b = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u"-b.db"_s);
        DemoDatabase::create(a, 300, seedA);
        DemoDatabase::create(b, 300, seedB);
        QCOMPARE(contentHash(a) == contentHash(b), same);
    }

    // Row count, a wide schema (key + ~20 columns), ~1 KB rows, WAL mode, unique SKUs.
    void demoDatabaseHasItsRowsSchemaAndWal()
    {
        const QString file = m_dir.filePath(u"schema.db"_s);
        DemoDatabase::create(file, 2000);
        Database db(file, Database::OpenMode::ReadOnly);
        Statement count = db.prepare(u"SELECT count(*), count(DISTINCT sku), min(id), max(id) FROM products"_s);
        QVERIFY(count.step());
        QCOMPARE(count.columnInt64(0), 2000);
        QCOMPARE(count.columnInt64(1), 2000);
        QCOMPARE(count.columnInt64(2), 1);
        QCOMPARE(count.columnInt64(3), 2000);
        Statement columns = db.prepare(u"SELECT count(*) FROM pragma_table_info('products')"_s);
        QVERIFY(columns.step());
        QVERIFY(columns.columnInt64(0) >= 21);
        Statement size = db.prepare(
            u"SELECT avg(length(sku)+length(name)+length(brand)+length(category)+length(subcategory)+"
            "length(short_description)+length(description)+length(currency)+length(warehouse)+length(color)+"
            "length(attributes)+length(image_url)+length(created_at)+length(updated_at) + 9*8) FROM products"_s);
        QVERIFY(size.step());
        const double rowBytes = size.columnDouble(0);
        QVERIFY2(rowBytes > 800 && rowBytes < 1400, qPrintable(QString::number(rowBytes)));
        Statement mode = db.prepare(u"PRAGMA journal_mode"_s);
        QVERIFY(mode.step());
        QCOMPARE(mode.columnText(0), u"wal"_s);
        Statement json = db.prepare(u"SELECT count(*) FROM products WHERE json_valid(attributes)"_s);
        QVERIFY(json.step());
        QCOMPARE(json.columnInt64(0), 2000);
    }

    // An existing file is never overwritten, and no temporary file is left behind.
    void neverOverwrites()
    {
        const QString file = m_dir.filePath(u"precious.db"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("user data");
        f.close();
        try {
            DemoDatabase::create(file, 10);
            QFAIL("an existing file must not be overwritten");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(u"already exists"_s), qPrintable(error.message()));
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("user data"));
        const QStringList leftovers = QDir(m_dir.path()).entryList({u"*.partial-*"_s}, QDir::Hidden | QDir::Files);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u", "_s)));
    }

    void badInputIsNamed_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<QString>("expected");
        QTest::addRow("zero rows") << u"zero.db"_s << qint64(0) << u"row count must be between 1"_s;
        QTest::addRow("negative rows") << u"neg.db"_s << qint64(-5) << u"not -5"_s;
        QTest::addRow("missing directory") << u"no/such/dir/x.db"_s << qint64(10) << u"does not exist"_s;
    }
    void badInputIsNamed()
    {
        QFETCH(QString, file);
        QFETCH(qint64, rows);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(file);
        try {
            DemoDatabase::create(path, rows);
            QFAIL("bad input must throw");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestDemoDatabase)
#include "tst_demodatabase.moc"
