// Projections on a real SQLite file: every rejection path names the offending field and leaves
// the database byte-identical; point, batched and write queries touch exactly the projected
// columns (NULLs and blobs included); bytes read equal sqlite3_column_bytes(); a wider cached
// row answers a narrower projection without a statement.
#include "core/cache/projectionfilter.h"
#include "core/cache/tieredcache.h"
#include "core/db/database.h"
#include "core/db/rowcodec.h"
#include "core/load/datasource.h"
#include "core/projection/projection.h"

#include <sqlite3.h>

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class TestProjection : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    DataSourceSpec spec(bool writable = false) const { return {m_db, u"items"_s, u"id"_s, writable}; }
    TableSchema schema()
    {
        Database db(m_db, Database::OpenMode::ReadOnly);
        return TableSchema::read(db, u"items"_s, u"id"_s);
    }

    // The expected values of \a columns of row \a key, read by plain SQL.
    QVariantList expectedValues(std::int64_t key, const QStringList &columns)
    {
        Database db(m_db, Database::OpenMode::ReadOnly);
        QStringList quoted;
        for (const QString &c : columns)
            quoted << Database::quoteIdentifier(c);
        Statement s = db.prepare(u"SELECT "_s + quoted.join(u", "_s) + u" FROM items WHERE id = ?1"_s);
        s.bind(1, key);
        QVariantList values;
        if (!s.step())
            return values;
        for (int c = 0; c < s.columnCount(); ++c) {
            switch (s.columnType(c)) {
            case SQLITE_INTEGER:
                values << QVariant::fromValue<qint64>(s.columnInt64(c));
                break;
            case SQLITE_FLOAT:
                values << s.columnDouble(c);
                break;
            case SQLITE_TEXT:
                values << s.columnText(c);
                break;
            case SQLITE_BLOB:
                values << s.columnBlob(c);
                break;
            default:
                values << QVariant();
            }
        }
        return values;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"items.db"_s);
        Database db(m_db, Database::OpenMode::Create);
        db.exec(u"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, photo BLOB, note TEXT, "
                "qty INTEGER, \"odd name\" TEXT);"
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT);"_s);
        Statement insert = db.prepare(u"INSERT INTO items VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"_s);
        for (std::int64_t id = 1; id <= 200; ++id) {
            insert.bind(1, id);
            insert.bind(2, u"item %1"_s.arg(id));
            insert.bind(3, 1.25 * double(id));
            if (id % 3 == 0)
                insert.bindNull(4);
            else
                insert.bindBlob(4, QByteArray(int(id % 50), char(id)));
            if (id % 2 == 0)
                insert.bindNull(5);
            else
                insert.bind(5, u"a note of some length for row %1"_s.arg(id));
            insert.bind(6, std::int64_t(id % 5 == 0 ? -id * 7 : id * 7)); // negative numbers too
            insert.bind(7, u"odd %1"_s.arg(id));
            insert.step();
            insert.reset();
        }
    }

    void rejectsBadFields_data()
    {
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QStringList>("problems"); // text each problem must contain, in order
        QTest::addRow("empty list") << QStringList() << QStringList {u"the field list is empty"_s};
        QTest::addRow("unknown") << QStringList {u"name"_s, u"colour"_s}
                                 << QStringList {u"'colour' is not a column of 'items'"_s};
        QTest::addRow("two unknown") << QStringList {u"colour"_s, u"name"_s, u"size"_s}
                                     << QStringList {u"'colour' is not a column"_s, u"'size' is not a column"_s};
        QTest::addRow("duplicate") << QStringList {u"name"_s, u"price"_s, u"name"_s}
                                   << QStringList {u"'name' is listed more than once"_s};
        QTest::addRow("key twice") << QStringList {u"id"_s, u"id"_s}
                                   << QStringList {u"'id' is listed more than once"_s};
        QTest::addRow("empty name") << QStringList {u"name"_s, u""_s, u"price"_s}
                                    << QStringList {u"field 2 is an empty name"_s};
        QTest::addRow("injection") << QStringList {u"name\"; DROP TABLE items; --"_s}
                                   << QStringList {u"'name\"; DROP TABLE items; --' is not a column of 'items'"_s};
        QTest::addRow("quoted name") << QStringList {u"\"name\""_s} << QStringList {u"'\"name\"' is not a column"_s};
        QTest::addRow("expression") << QStringList {u"price*2"_s} << QStringList {u"'price*2' is not a column"_s};
        QTest::addRow("star among fields") << QStringList {u"*"_s, u"name"_s} << QStringList {u"'*' is not a column"_s};
        QTest::addRow("case differs") << QStringList {u"Name"_s}
                                      << QStringList {u"'Name' is not a column of 'items' (did you mean 'name'?)"_s};
        QTest::addRow("column of another table")
            << QStringList {u"customer"_s} << QStringList {u"'customer' is not a column of 'items'"_s};
    }
    void rejectsBadFields()
    {
        QFETCH(QStringList, fields);
        QFETCH(QStringList, problems);
        const QByteArray before = fileHash(m_db);
        const TableSchema s = schema();
        try {
            Projection::fromFields(s, fields);
            QFAIL("accepted a bad field list");
        } catch (const ProjectionError &error) {
            QCOMPARE(error.problems().size(), problems.size());
            for (qsizetype i = 0; i < problems.size(); ++i)
                QVERIFY2(error.problems()[i].contains(problems[i]), qPrintable(error.problems()[i]));
            // The message lists what the user could have asked for.
            QVERIFY2(error.message().contains(u"(columns: id, name, price, photo, note, qty, odd name)"_s),
                qPrintable(error.message()));
        }
        QCOMPARE(fileHash(m_db), before);
        Database db(m_db, Database::OpenMode::ReadOnly);
        Statement count = db.prepare(u"SELECT count(*) FROM items"_s);
        QVERIFY(count.step());
        QCOMPARE(count.columnInt64(0), 200);
    }

    void validFieldListsGiveTheirColumns_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<bool>("all");
        QTest::addRow("key added") << u"name,price"_s << QStringList {u"id"_s, u"name"_s, u"price"_s} << false;
        QTest::addRow("table order") << u" price , id,name "_s << QStringList {u"id"_s, u"name"_s, u"price"_s} << false;
        QTest::addRow("odd identifier") << u"odd name"_s << QStringList {u"id"_s, u"odd name"_s} << false;
        QTest::addRow("blank is all") << u"  "_s << schema().columns << true;
        QTest::addRow("star is all") << u"*"_s << schema().columns << true;
        QTest::addRow("every column named") << u"qty,photo,name,price,note,odd name"_s << schema().columns << true;
    }
    void validFieldListsGiveTheirColumns()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, names);
        QFETCH(bool, all);
        const Projection p = Projection::parse(schema(), text);
        QCOMPARE(p.fieldNames(), names);
        QCOMPARE(p.isAll(), all);
        QCOMPARE(p.fieldNames()[p.keyPosition()], u"id"_s);
        // toString() gives back a text parse() accepts, naming the same columns.
        QCOMPARE(Projection::parse(schema(), p.toString()).fieldNames(), names);
    }

    void pointReadReturnsProjectedColumns_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<qint64>("key");
        QTest::addRow("text and real") << u"name,price"_s << qint64(5);
        QTest::addRow("blob") << u"photo"_s << qint64(7);
        QTest::addRow("null blob") << u"photo,note"_s << qint64(6);
        QTest::addRow("null text") << u"note,qty"_s << qint64(4);
        QTest::addRow("odd name") << u"odd name"_s << qint64(11);
        QTest::addRow("all") << u""_s << qint64(9);
    }
    void pointReadReturnsProjectedColumns()
    {
        QFETCH(QString, fields);
        QFETCH(qint64, key);
        DataSourceConnection connection(spec());
        const Projection p = Projection::parse(connection.schema(), fields);
        const std::optional<QByteArray> row = connection.readRow(key, p);
        QVERIFY(row.has_value());
        QCOMPARE(RowCodec::columnsOf(*row), p.columns());
        QCOMPARE(RowCodec::decode(*row), expectedValues(key, p.fieldNames()));
        QCOMPARE(connection.stats().statements, 1u);
        QVERIFY(!connection.readRow(100000, p).has_value());
        QCOMPARE(connection.stats().statements, 2u);
    }

    // One statement answers many keys; duplicates are answered alike, missing keys are empty.
    void batchedReadAnswersEveryKey()
    {
        DataSourceConnection connection(spec());
        const Projection p = Projection::parse(connection.schema(), u"photo,note"_s);
        const std::vector<std::int64_t> keys {3, 8, 3, 999, 150, 8, -1};
        const std::vector<std::optional<QByteArray>> rows = connection.readRows(keys, p);
        QCOMPARE(rows.size(), keys.size());
        QCOMPARE(connection.stats().statements, 1u);
        QCOMPARE(connection.stats().rowsRead, 3u);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (keys[i] == 999 || keys[i] == -1) {
                QVERIFY(!rows[i].has_value());
                continue;
            }
            QVERIFY(rows[i].has_value());
            QCOMPARE(RowCodec::decode(*rows[i]), expectedValues(keys[i], p.fieldNames()));
        }
        // More distinct keys than one statement takes: one statement per kMaxBatch.
        std::vector<std::int64_t> many;
        for (std::int64_t k = 1; k <= 2 * DataSourceConnection::kMaxBatch + 3; ++k)
            many.push_back(k);
        const auto before = connection.stats().statements;
        const auto answers = connection.readRows(many, p);
        QCOMPARE(connection.stats().statements - before, 3u);
        QCOMPARE(std::count_if(answers.begin(), answers.end(), [](const auto &a) { return a.has_value(); }), 200);
    }

    // Accounting is exactly what SQLite hands over: sqlite3_column_bytes() of the returned columns.
    void bytesReadEqualColumnBytes_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<bool>("batched");
        QTest::addRow("all, point") << u""_s << false;
        QTest::addRow("all, batched") << u""_s << true;
        QTest::addRow("narrow, point") << u"name,price"_s << false;
        QTest::addRow("blob and nulls, batched") << u"photo,note,qty"_s << true;
    }
    void bytesReadEqualColumnBytes()
    {
        QFETCH(QString, fields);
        QFETCH(bool, batched);
        DataSourceConnection connection(spec());
        const Projection p = Projection::parse(connection.schema(), fields);
        std::vector<std::int64_t> keys;
        for (std::int64_t k = 1; k <= 60; k += 3)
            keys.push_back(k);
        if (batched) {
            connection.readRows(keys, p);
        } else {
            for (std::int64_t k : keys)
                connection.readRow(k, p);
        }
        Database db(m_db, Database::OpenMode::ReadOnly);
        Statement s = db.prepare(u"SELECT "_s + p.selectList() + u" FROM items WHERE id % 3 = 1 AND id <= 60"_s);
        std::uint64_t expected = 0;
        while (s.step()) {
            for (int c = 0; c < s.columnCount(); ++c)
                expected += std::uint64_t(sqlite3_column_bytes(s.handle(), c));
        }
        QVERIFY(expected > 0);
        QCOMPARE(connection.stats().bytesRead, expected);
    }

    // Numbers are counted by the length of the text SQLite would hand over for them.
    void numberBytesMatchSqlite_data()
    {
        QTest::addColumn<QVariant>("value");
        // (Values with at most two decimals below 1e9 take a shortcut: its edges are here too.)
        for (const double v : {0.0, -0.0, 12.0, -7.5, 0.1, 19.99, 1234.5678, 1e15, 1e16, 1e20, 1e-4, 1e-5, 1.0 / 3,
                 1e300, -2.5e-300, std::numeric_limits<double>::infinity(), 0.05, -0.05, 0.5, -0.01, 20.5, 3.0, 100.1,
                 999999999.99, -999999999.99, 1e9, 1e9 + 0.5, 123456.78, 0.015, 0.29, 4.35, 1e8 + 0.07})
            QTest::addRow("real %.17g", v) << QVariant(v);
        for (const qint64 v : {qint64(0), qint64(-1), qint64(9), qint64(10), qint64(-10), qint64(1234567890123),
                 std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()})
            QTest::addRow("integer %lld", static_cast<long long>(v)) << QVariant::fromValue(v);
    }
    void numberBytesMatchSqlite()
    {
        QFETCH(QVariant, value);
        Database db(u":memory:"_s, Database::OpenMode::Create);
        Statement s = db.prepare(u"SELECT ?1"_s);
        if (value.typeId() == QMetaType::Double)
            s.bind(1, value.toDouble());
        else
            s.bind(1, std::int64_t(value.toLongLong()));
        QVERIFY(s.step());
        std::uint64_t counted = 0;
        const QByteArray row = RowCodec::encode(s.handle(), ColumnSet::firstN(1), counted);
        QCOMPARE(RowCodec::decode(row).value(0), value);
        QCOMPARE(counted, std::uint64_t(sqlite3_column_bytes(s.handle(), 0)));
    }

    // The statements the data source counts are the ones SQLite ran (SQLITE_STMTSTATUS_RUN), for
    // point, batched and write statements; simulated failures are counted but never run.
    void statementCountsMatchSqlite_data()
    {
        QTest::addColumn<double>("failureRate");
        QTest::addRow("no failures") << 0.0;
        QTest::addRow("a third fail") << 0.33;
    }
    void statementCountsMatchSqlite()
    {
        QFETCH(double, failureRate);
        DataSourceConnection connection(spec(true));
        connection.setFailureRate(failureRate, 5);
        const Projection narrow = Projection::parse(connection.schema(), u"name,price"_s);
        for (std::int64_t k = 1; k <= 150; ++k) {
            try {
                if (k % 10 == 0)
                    connection.readRows({k, k + 1, k + 2, 99999}, narrow);
                else if (k % 7 == 0)
                    connection.rewriteRow(k, narrow);
                else
                    connection.readRow(k, k % 2 ? narrow : connection.allColumns());
            } catch (const DbError &error) {
                QVERIFY2(error.message().contains(u"simulated failure"_s), qPrintable(error.message()));
            }
        }
        const DataSourceStats stats = connection.stats();
        QCOMPARE(stats.failures > 0, failureRate > 0);
        QCOMPARE(stats.statements, connection.runsCountedBySqlite() + stats.failures);
    }

    void narrowKeepsOnlyTheWantedColumns()
    {
        DataSourceConnection connection(spec());
        const Projection narrow = Projection::parse(connection.schema(), u"note,price"_s);
        const QByteArray full = *connection.readRow(1);
        QVERIFY(RowCodec::covers(full, narrow.columns()));
        const QByteArray cut = RowCodec::narrow(full, narrow.columns());
        QCOMPARE(RowCodec::columnsOf(cut), narrow.columns());
        QCOMPARE(RowCodec::decode(cut), expectedValues(1, narrow.fieldNames()));
        QVERIFY(cut.size() < full.size());
        // A narrow row cannot be widened.
        QVERIFY(!RowCodec::covers(cut, connection.allColumns().columns()));
        QVERIFY(RowCodec::narrow(cut, connection.allColumns().columns()).isEmpty());
    }

    // A cached wider row answers a narrower projection with no statement; a narrower cached row
    // does not answer a wider one (that reads again); a write drops every projection of the key.
    void cacheServesNarrowerFromWider()
    {
        DataSourceConnection connection(spec(true));
        const Projection &full = connection.allColumns();
        const Projection mid = Projection::parse(connection.schema(), u"name,price,note"_s);
        const Projection narrow = Projection::parse(connection.schema(), u"price"_s);
        QVERIFY(full.covers(mid) && mid.covers(narrow) && !narrow.covers(mid));
        TieredCacheConfig config;
        config.l1.capacity = 100;
        config.l2 = {1000, std::chrono::nanoseconds(0), 0, u"lru"_s};
        TieredCache cache(config);
        auto loaderFor = [&connection](const Projection &p) {
            return [&connection, &p](std::int64_t key) {
                std::optional<QByteArray> row = connection.readRow(key, p);
                return row ? LoadResult {LoadResult::Status::Found, *row, {}} : LoadResult {};
            };
        };
        auto read = [&](const Projection &p) {
            const ValueFilter filter = coveringFilter(p);
            return cache.read(10, loaderFor(p), &filter);
        };
        QCOMPARE(read(mid).source, ReadSource::Loaded);
        QCOMPARE(connection.stats().statements, 1u);
        ReadResult r = read(narrow);
        QCOMPARE(r.source, ReadSource::L1);
        QCOMPARE(connection.stats().statements, 1u);
        QCOMPARE(RowCodec::decode(RowCodec::narrow(r.load.value, narrow.columns())),
            expectedValues(10, narrow.fieldNames()));
        // Wider than what is cached: a miss, and the wider row replaces the entry.
        QCOMPARE(read(full).source, ReadSource::Loaded);
        QCOMPARE(connection.stats().statements, 2u);
        QCOMPARE(read(mid).source, ReadSource::L1);
        QCOMPARE(read(narrow).source, ReadSource::L1);
        QCOMPARE(connection.stats().statements, 2u);

        // A write of one projection invalidates the key for all of them.
        QVERIFY(connection.writeRow(10, narrow, {QVariant::fromValue<qint64>(10), 99.5}));
        cache.invalidate(10);
        QCOMPARE(read(narrow).source, ReadSource::Loaded);
        QCOMPARE(RowCodec::decode(read(narrow).load.value), (QVariantList {QVariant::fromValue<qint64>(10), 99.5}));
        QCOMPARE(read(mid).source, ReadSource::Loaded);
        QCOMPARE(RowCodec::decode(read(mid).load.value).at(2), QVariant(99.5));
    }

    // A write sets exactly the projected columns; the others keep their values.
    void writeUpdatesOnlyProjectedColumns()
    {
        DataSourceConnection connection(spec(true));
        const Projection p = Projection::parse(connection.schema(), u"name,photo"_s);
        const QVariantList before = expectedValues(20, connection.schema().columns);
        QVERIFY(connection.writeRow(20, p, {QVariant::fromValue<qint64>(20), u"renamed"_s, QVariant()}));
        const QVariantList after = expectedValues(20, connection.schema().columns);
        for (qsizetype c = 0; c < after.size(); ++c) {
            const QString column = connection.schema().columns[c];
            if (column == u"name"_s)
                QCOMPARE(after[c], QVariant(u"renamed"_s));
            else if (column == u"photo"_s)
                QVERIFY(after[c].isNull());
            else
                QCOMPARE(after[c], before[c]);
        }
        QVERIFY(!connection.writeRow(5000, p, {QVariant::fromValue<qint64>(5000), u"x"_s, QVariant()}));
    }

    void writeProblemsAreNamed_data()
    {
        QTest::addColumn<bool>("writable");
        QTest::addColumn<int>("values");
        QTest::addColumn<QString>("expected");
        QTest::addRow("read-only") << false << 2 << u"is open read-only"_s;
        QTest::addRow("wrong value count") << true << 3 << u"a write of 3 values to a projection of 2 columns"_s;
    }
    void writeProblemsAreNamed()
    {
        QFETCH(bool, writable);
        QFETCH(int, values);
        QFETCH(QString, expected);
        const QByteArray before = fileHash(m_db);
        DataSourceConnection connection(spec(writable));
        const Projection p = Projection::parse(connection.schema(), u"qty"_s);
        QVariantList row;
        for (int i = 0; i < values; ++i)
            row << QVariant::fromValue<qint64>(1);
        try {
            connection.writeRow(1, p, row);
            QFAIL("the write was accepted");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
        QCOMPARE(fileHash(m_db), before);
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
