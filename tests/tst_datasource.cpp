// The data source on a real demo database: one statement per read, bytes read equal to the
// column data SQLite returns, rows decoded exactly, and table/key problems named clearly.
#include "core/db/database.h"
#include "core/db/demodatabase.h"
#include "core/db/rowcodec.h"
#include "core/load/datasource.h"
#include "core/projection/projection.h"

#include <sqlite3.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

class TestDataSource : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    DataSourceSpec spec() const { return {m_db, u"products"_s, u"id"_s, false}; }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"demo.db"_s);
        DemoDatabase::create(m_db, 500, 7);
    }

    // Bytes read = the sum of sqlite3_column_bytes() over the returned columns, computed here
    // through a separate statement on a separate connection.
    void countsStatementsAndBytes()
    {
        DataSourceConnection connection(spec());
        const std::vector<std::int64_t> keys {1, 2, 3, 250, 500};
        for (std::int64_t key : keys)
            QVERIFY(connection.readRow(key).has_value());
        const DataSourceStats stats = connection.stats();
        QCOMPARE(stats.statements, std::uint64_t(keys.size()));
        QCOMPARE(stats.rowsRead, std::uint64_t(keys.size()));

        Database db(m_db, Database::OpenMode::ReadOnly);
        Statement select = db.prepare(u"SELECT * FROM products WHERE id IN (1,2,3,250,500)"_s);
        std::uint64_t expected = 0;
        int rows = 0;
        while (select.step()) {
            ++rows;
            for (int c = 0; c < select.columnCount(); ++c)
                expected += std::uint64_t(sqlite3_column_bytes(select.handle(), c));
        }
        QCOMPARE(rows, 5);
        QCOMPARE(stats.bytesRead, expected);
    }

    // An absent key is not an error: nullopt, one statement, no bytes.
    void missingRowIsEmpty()
    {
        DataSourceConnection connection(spec());
        QVERIFY(!connection.readRow(123456).has_value());
        QCOMPARE(connection.stats().statements, 1u);
        QCOMPARE(connection.stats().bytesRead, 0u);
    }

    // A row read and not kept (the uncached baseline's read) is one statement, its bytes and its
    // row counted exactly as readRow() counts them, whatever the projection; absent keys alike.
    void consumedRowCountsAsReadRow_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<std::int64_t>("key");
        QTest::addRow("all columns") << QString() << std::int64_t(42);
        QTest::addRow("three columns") << u"id,name,price"_s << std::int64_t(42);
        QTest::addRow("text only") << u"description"_s << std::int64_t(499);
        QTest::addRow("absent key, all columns") << QString() << std::int64_t(123456);
        QTest::addRow("absent key, three columns") << u"id,name,price"_s << std::int64_t(-1);
    }
    void consumedRowCountsAsReadRow()
    {
        QFETCH(QString, fields);
        QFETCH(std::int64_t, key);
        DataSourceConnection reader(spec());
        DataSourceConnection consumer(spec());
        const Projection projection
            = fields.isEmpty() ? reader.allColumns() : Projection::parse(reader.schema(), fields);
        const std::optional<QByteArray> row = reader.readRow(key, projection);
        QCOMPARE(consumer.consumeRow(key, projection), row.has_value());
        const DataSourceStats read = reader.stats();
        const DataSourceStats consumed = consumer.stats();
        QCOMPARE(consumed.statements, std::uint64_t(1));
        QCOMPARE(consumed.statements, read.statements);
        QCOMPARE(consumed.rowsRead, read.rowsRead);
        QCOMPARE(consumed.bytesRead, read.bytesRead);
        QCOMPARE(consumed.bytesRead > 0, row.has_value());
    }

    // The encoded row decodes to exactly the values SELECT * returns.
    void encodedRowDecodesToColumns()
    {
        DataSourceConnection connection(spec());
        const QVariantList row = RowCodec::decode(*connection.readRow(42));
        Database db(m_db, Database::OpenMode::ReadOnly);
        Statement select = db.prepare(u"SELECT * FROM products WHERE id = 42"_s);
        QVERIFY(select.step());
        QCOMPARE(row.size(), qsizetype(select.columnCount()));
        for (int c = 0; c < select.columnCount(); ++c) {
            switch (select.columnType(c)) {
            case SQLITE_INTEGER:
                QCOMPARE(row[c].toLongLong(), qint64(select.columnInt64(c)));
                break;
            case SQLITE_FLOAT:
                QCOMPARE(row[c].toDouble(), select.columnDouble(c));
                break;
            case SQLITE_TEXT:
                QCOMPARE(row[c].toString(), select.columnText(c));
                break;
            default:
                QVERIFY(row[c].isNull());
            }
        }
    }

    void malformedEncodedRowDecodesToNothing_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        // Header: one word naming column 0, then the value.
        const QByteArray header("\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00", 10);
        QTest::addRow("no header") << QByteArray("\x01", 1);
        QTest::addRow("header longer than row") << QByteArray("\x02\x00\x01\x00", 4);
        QTest::addRow("unknown tag") << header + QByteArray("\x09", 1);
        QTest::addRow("truncated integer") << header + QByteArray("\x01\x02\x03", 3);
        QTest::addRow("text longer than row") << header
                + QByteArray("\x03\xff\x00\x00\x00"
                             "ab",
                    7);
        QTest::addRow("more values than columns") << header + QByteArray("\x00\x00", 2);
        QTest::addRow("fewer values than columns") << header;
    }
    void malformedEncodedRowDecodesToNothing()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(RowCodec::decode(bytes).isEmpty());
    }

    void badTableOrKeyIsNamed_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::addRow("missing table") << u"orders"_s << u"id"_s << u"table 'orders' does not exist"_s;
        QTest::addRow("existing tables listed") << u"orders"_s << u"id"_s << u"tables: products"_s;
        QTest::addRow("missing key column") << u"products"_s << u"uuid"_s << u"key column 'uuid' is not a column"_s;
        QTest::addRow("columns listed") << u"products"_s << u"uuid"_s << u"columns: id, sku, name"_s;
        QTest::addRow("injection attempt")
            << u"products\"; DROP TABLE products; --"_s << u"id"_s << u"does not exist"_s;
    }
    void badTableOrKeyIsNamed()
    {
        QFETCH(QString, table);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        try {
            inspectTable({m_db, table, key, false});
            QFAIL("a bad table or key must throw");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
        QCOMPARE(inspectTable(spec()).rowCount, 500); // the table is intact
    }

    void loadKeysInKeyOrder()
    {
        const std::vector<std::int64_t> keys = loadKeys(spec(), 10);
        QCOMPARE(keys.size(), 10u);
        for (std::size_t i = 0; i < keys.size(); ++i)
            QCOMPARE(keys[i], std::int64_t(i + 1));
        QCOMPARE(loadKeys(spec(), 0).size(), 500u);
        QCOMPARE(loadKeys(spec(), 100000).size(), 500u);
    }

    // A key column holding text is refused with a message that says integer keys are needed.
    void nonIntegerKeysAreRefused()
    {
        const QString file = m_dir.filePath(u"textkeys.db"_s);
        {
            Database db(file, Database::OpenMode::Create);
            db.exec(u"CREATE TABLE t (code TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1)"_s);
        }
        try {
            loadKeys({file, u"t"_s, u"code"_s, false}, 10);
            QFAIL("text keys must be refused");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(u"not an integer"_s), qPrintable(error.message()));
        }
    }

    // A table without an integer key column is read by its rowid: keys in rowid order, rows with
    // the rowid as their last field. A table that has no rowid refuses it, saying which columns it has.
    void rowidServesAsKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addRow("rowid") << u"rowid"_s;
        QTest::addRow("oid") << u"oid"_s;
        QTest::addRow("_rowid_, upper case") << u"_ROWID_"_s;
    }
    void rowidServesAsKey()
    {
        QFETCH(QString, key);
        const QString file = m_dir.filePath(u"rowid.db"_s);
        if (!QFile::exists(file)) {
            Database db(file, Database::OpenMode::Create);
            db.exec(u"CREATE TABLE notes (title TEXT, body TEXT); INSERT INTO notes VALUES ('a', 'first'), "
                    "('b', 'second'), ('c', 'third'); DELETE FROM notes WHERE title = 'b';"
                    "CREATE TABLE tags (tag TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID"_s);
        }
        const DataSourceSpec rowid {file, u"notes"_s, key, false};
        QCOMPARE(inspectTable(rowid).rowCount, 2);
        QCOMPARE(loadKeys(rowid, 0), (std::vector<std::int64_t> {1, 3}));
        DataSourceConnection connection(rowid);
        const QVariantList row = RowCodec::decode(*connection.readRow(3));
        QCOMPARE(row, (QVariantList {u"c"_s, u"third"_s, qint64(3)}));
        QVERIFY(!connection.readRow(2).has_value());
        try {
            inspectTable({file, u"tags"_s, key, false});
            QFAIL("a WITHOUT ROWID table has no rowid");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(u"is not a column of table 'tags' (columns: tag, n)"_s),
                qPrintable(error.message()));
        }
    }

    // The tables a user picks from, each with the keys it can be read by (best first) or why none.
    void tablesOfferTheirUsableKeys_data()
    {
        QTest::addColumn<QString>("create");
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("reason");
        QTest::addRow("integer primary key: the rowid under its name")
            << u"CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, s TEXT)"_s << QStringList {u"id"_s, u"n"_s}
            << QString();
        QTest::addRow("text key, rowid table")
            << u"CREATE TABLE t (code TEXT PRIMARY KEY, s TEXT)"_s << QStringList {u"rowid"_s} << QString();
        QTest::addRow("bigint primary key is not the rowid")
            << u"CREATE TABLE t (k BIGINT PRIMARY KEY, s TEXT)"_s << QStringList {u"k"_s, u"rowid"_s} << QString();
        QTest::addRow("a column named rowid hides it")
            << u"CREATE TABLE t (rowid TEXT, s TEXT)"_s << QStringList {} << u"no integer column"_s;
        QTest::addRow("without rowid, text key") << u"CREATE TABLE t (code TEXT PRIMARY KEY, s TEXT) WITHOUT ROWID"_s
                                                 << QStringList {} << u"WITHOUT ROWID table keyed by text"_s;
        QTest::addRow("composite key") << u"CREATE TABLE t (a INTEGER, b INTEGER, PRIMARY KEY (a, b))"_s
                                       << QStringList {u"a"_s, u"b"_s, u"rowid"_s} << QString();
    }
    void tablesOfferTheirUsableKeys()
    {
        QFETCH(QString, create);
        QFETCH(QStringList, keys);
        QFETCH(QString, reason);
        const QString file
            = m_dir.filePath(u"choice_%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'_'));
        {
            Database db(file, Database::OpenMode::Create);
            db.exec(create + u"; CREATE VIEW v AS SELECT * FROM t"_s);
        }
        const QList<TableChoice> tables = listTables(file);
        QCOMPARE(tables.size(), 2);
        QCOMPARE(tables[0].name, u"t"_s);
        QCOMPARE(tables[0].keys, keys);
        QCOMPARE(tables[0].noKeyReason.isEmpty(), reason.isEmpty());
        QVERIFY2(tables[0].noKeyReason.contains(reason), qPrintable(tables[0].noKeyReason));
        QCOMPARE(tables[1].name, u"v"_s); // a view: its integer columns, never a rowid
        QVERIFY(!tables[1].keys.contains(u"rowid"_s));
    }

    // Values for a projection's fields: the key as it is, every other field NULL.
    static QVariantList nullNames(const Projection &projection)
    {
        QVariantList values;
        for (const QString &name : projection.fieldNames())
            values << (name == u"id"_s ? QVariant(qint64(1)) : QVariant());
        return values;
    }

    // A statement SQLite itself fails (not a simulated failure) counts as executed and as a
    // failure, whichever kind of statement it was.
    void realErrorsCountAsFailures_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addRow("point read of a dropped table") << u"point"_s;
        QTest::addRow("point read, row not kept, of a dropped table") << u"consume"_s;
        QTest::addRow("batched read of a dropped table") << u"batch"_s;
        QTest::addRow("write breaking NOT NULL") << u"write"_s;
        QTest::addRow("rewrite of a dropped table") << u"rewrite"_s;
    }
    void realErrorsCountAsFailures()
    {
        QFETCH(QString, kind);
        const QString path = m_dir.filePath(u"errors-%1.db"_s.arg(kind));
        QVERIFY(QFile::copy(m_db, path));
        const bool writes = kind == u"write"_s || kind == u"rewrite"_s;
        DataSourceConnection source({path, u"products"_s, u"id"_s, writes});
        const Projection names = Projection::fromFields(source.schema(), {u"name"_s});
        // Prepare the statement first, then take the table away behind its back.
        if (kind == u"point"_s)
            QVERIFY(source.readRow(1));
        else if (kind == u"consume"_s)
            QVERIFY(source.consumeRow(1, source.allColumns()));
        else if (kind == u"batch"_s)
            QCOMPARE(source.readRows({1, 2}, source.allColumns()).size(), std::size_t(2));
        else if (kind == u"rewrite"_s)
            QVERIFY(source.rewriteRow(1, names));
        const DataSourceStats before = source.stats();
        if (kind != u"write"_s) {
            Database other(path, Database::OpenMode::ReadWrite);
            other.exec(u"DROP TABLE products"_s);
        }
        try {
            if (kind == u"point"_s)
                source.readRow(1);
            else if (kind == u"consume"_s)
                source.consumeRow(1, source.allColumns());
            else if (kind == u"batch"_s)
                source.readRows({1, 2}, source.allColumns());
            else if (kind == u"write"_s)
                source.writeRow(1, names, nullNames(names));
            else
                source.rewriteRow(1, names);
            QFAIL("the statement did not fail");
        } catch (const DbError &error) {
            QVERIFY(!error.message().contains(u"simulated"_s));
        }
        const DataSourceStats after = source.stats() - before;
        QCOMPARE(after.statements, std::uint64_t(1));
        QCOMPARE(after.failures, std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestDataSource)
#include "tst_datasource.moc"
