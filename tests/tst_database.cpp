// The SQLite layer against real database files: values round-trip, and every error path
// reports SQLite's own reason together with what was being done.
#include "core/db/database.h"
#include "core/load/datasource.h"

#include <sqlite3.h>

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

class TestDatabase : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void openMissingFileFails_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addRow("read-only") << int(Database::OpenMode::ReadOnly);
        QTest::addRow("read-write") << int(Database::OpenMode::ReadWrite);
    }
    // Opening a file that is not there names the file; nothing is created.
    void openMissingFileFails()
    {
        QFETCH(int, mode);
        const QString file = path(u"missing.db"_s);
        try {
            Database db(file, Database::OpenMode(mode));
            QFAIL("opening a missing file must throw");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(file), qPrintable(error.message()));
            QCOMPARE(error.code() & 0xff, SQLITE_CANTOPEN);
        }
        QVERIFY(!QFile::exists(file));
    }

    // A file that is not a database is refused at open time, with the file's name.
    void openNonDatabaseFails()
    {
        const QString file = path(u"notes.txt"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        try {
            Database db(file, Database::OpenMode::ReadOnly);
            QFAIL("opening a text file must throw");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(file), qPrintable(error.message()));
            QVERIFY2(error.message().contains(u"not a database"_s), qPrintable(error.message()));
        }
    }

    void badSqlReportsSqliteMessage_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        QTest::addRow("syntax error") << u"SELEC 1"_s << u"syntax error"_s;
        QTest::addRow("missing table") << u"SELECT * FROM nowhere"_s << u"no such table: nowhere"_s;
        QTest::addRow("missing column") << u"SELECT nosuchcol FROM t"_s << u"no such column: nosuchcol"_s;
        QTest::addRow("empty") << u"   "_s << u"no statement"_s;
    }
    void badSqlReportsSqliteMessage()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        Database db(path(u"bad-sql.db"_s), Database::OpenMode::Create);
        db.exec(u"CREATE TABLE IF NOT EXISTS t (a INTEGER)"_s);
        try {
            db.prepare(sql);
            QFAIL("bad SQL must throw");
        } catch (const DbError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
    }

    // A writer holding the lock makes another connection fail with SQLITE_BUSY after its
    // busy timeout, with a message saying the database is locked.
    void lockedDatabaseReportsBusy()
    {
        const QString file = path(u"locked.db"_s);
        Database writer(file, Database::OpenMode::Create);
        writer.exec(u"CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)"_s);
        writer.exec(u"BEGIN EXCLUSIVE"_s);
        Database other(file, Database::OpenMode::ReadWrite, std::chrono::milliseconds(50));
        try {
            other.exec(u"INSERT INTO t VALUES (2)"_s);
            QFAIL("a write against an exclusive lock must fail");
        } catch (const DbError &error) {
            QCOMPARE(error.code() & 0xff, SQLITE_BUSY);
            QVERIFY2(error.message().contains(u"locked"_s), qPrintable(error.message()));
        }
        writer.exec(u"COMMIT"_s);
        other.exec(u"INSERT INTO t VALUES (2)"_s); // free again
    }

    void valuesRoundTrip_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addRow("integer") << QVariant::fromValue<qint64>(-9'007'199'254'740'993LL);
        QTest::addRow("real") << QVariant(3.25);
        QTest::addRow("text") << QVariant(u"grüße, 東京"_s);
        QTest::addRow("blob") << QVariant(QByteArray("\x00\x01\xff", 3));
        QTest::addRow("null") << QVariant();
    }
    void valuesRoundTrip()
    {
        QFETCH(QVariant, value);
        Database db(path(u"values.db"_s), Database::OpenMode::Create);
        db.exec(u"CREATE TABLE IF NOT EXISTS v (x)"_s);
        db.exec(u"DELETE FROM v"_s);
        Statement insert = db.prepare(u"INSERT INTO v VALUES (?1)"_s);
        switch (value.typeId()) {
        case QMetaType::LongLong:
            insert.bind(1, std::int64_t(value.toLongLong()));
            break;
        case QMetaType::Double:
            insert.bind(1, value.toDouble());
            break;
        case QMetaType::QString:
            insert.bind(1, value.toString());
            break;
        case QMetaType::QByteArray:
            insert.bindBlob(1, value.toByteArray());
            break;
        default:
            insert.bindNull(1);
        }
        QVERIFY(!insert.step());
        Statement select = db.prepare(u"SELECT x FROM v"_s);
        QVERIFY(select.step());
        switch (value.typeId()) {
        case QMetaType::LongLong:
            QCOMPARE(select.columnType(0), SQLITE_INTEGER);
            QCOMPARE(qint64(select.columnInt64(0)), value.toLongLong());
            break;
        case QMetaType::Double:
            QCOMPARE(select.columnType(0), SQLITE_FLOAT);
            QCOMPARE(select.columnDouble(0), value.toDouble());
            break;
        case QMetaType::QString:
            QCOMPARE(select.columnType(0), SQLITE_TEXT);
            QCOMPARE(select.columnText(0), value.toString());
            break;
        case QMetaType::QByteArray:
            QCOMPARE(select.columnType(0), SQLITE_BLOB);
            QCOMPARE(select.columnBlob(0), value.toByteArray());
            break;
        default:
            QCOMPARE(select.columnType(0), SQLITE_NULL);
        }
        QVERIFY(!select.step());
    }

    // Identifiers with quotes cannot escape their quoting.
    void quoteIdentifierEscapesQuotes()
    {
        QCOMPARE(Database::quoteIdentifier(u"name"_s), u"\"name\""_s);
        QCOMPARE(Database::quoteIdentifier(u"a\"; DROP TABLE t; --"_s), u"\"a\"\"; DROP TABLE t; --\""_s);
    }

    // Reading a user's database through a data source leaves the file byte-identical.
    void readOnlyUseLeavesFileUntouched()
    {
        const QString file = path(u"user.db"_s);
        {
            Database db(file, Database::OpenMode::Create);
            db.exec(u"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); "
                    "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, NULL)"_s);
        }
        auto hash = [&] {
            QFile f(file);
            f.open(QIODevice::ReadOnly);
            return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
        };
        const QByteArray before = hash();
        {
            DataSourceConnection connection({file, u"items"_s, u"id"_s, false});
            for (std::int64_t key : {1, 2, 3, 4})
                connection.readRow(key);
            QVERIFY_THROWS_EXCEPTION(DbError, connection.database().exec(u"DELETE FROM items"_s));
        }
        QCOMPARE(hash(), before);
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
