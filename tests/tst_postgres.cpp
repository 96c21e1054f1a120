// PostgreSQL as the database, against a real server this test starts (scripts/pg-sandbox):
// the libpq source reads what SQLite reads, asynchronously on one thread's event loop, in
// pipeline mode, with every bad input named and no password ever shown.

#include "boundedwait.h"
#include "clirunner.h"
#include "pgsandbox.h"

#include "core/db/demodatabase.h"
#include "core/db/pgconnection.h"
#include "core/db/rowcodec.h"
#include "core/load/datasource.h"
#include "core/load/pgsource.h"

#include <libpq-fe.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
constexpr std::int64_t kRows = 2000;

QCoro::Task<LoadResult> loadOne(DataSource *source, std::int64_t key, const Projection *projection)
{
    QCoro::Task<LoadResult> op = source->load(key, projection, true);
    co_return co_await op;
}

// Starts \a count loads at once on this thread and waits for them all.
QCoro::Task<std::vector<LoadResult>> loadAll(
    DataSource *source, std::vector<std::int64_t> keys, const Projection *projection)
{
    std::vector<QCoro::Task<LoadResult>> tasks;
    tasks.reserve(keys.size());
    for (const std::int64_t key : keys)
        tasks.push_back(loadOne(source, key, projection));
    std::vector<LoadResult> results;
    for (QCoro::Task<LoadResult> &t : tasks)
        results.push_back(co_await t);
    co_return results;
}

// What the server's catalogue says about a table, on a connection of its own.
std::int64_t scalar(const QString &url, const QByteArray &sql)
{
    PgConnection conn(url, std::chrono::seconds(10));
    PgConnection::Result r = conn.execOrThrow(sql);
    return QByteArray(PQgetvalue(r.get(), 0, 0)).toLongLong();
}
// Waits until the replica at \a url has replayed the demo catalogue of \a rows rows.
void waitForReplica(const QString &url, std::int64_t rows)
{
    bounded::until(
        [&] {
            try {
                return scalar(url, "SELECT count(*) FROM products") == rows;
            } catch (const DbError &) {
                return false; // the table has not been replayed yet
            }
        },
        "the replica to replay the catalogue", std::chrono::seconds(20));
}
} // namespace

class TestPostgres : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<PgSandbox>();
        QVERIFY2(!m_server->url().isEmpty(), qPrintable(m_server->error()));
        QVERIFY(m_sqliteDir.isValid());
        m_sqlite = m_sqliteDir.filePath(u"demo.db"_s);
        DemoDatabase::create(m_sqlite, kRows, 7);
        DemoDatabase::createOnServer(m_server->url(), kRows, 7);
    }
    void cleanupTestCase()
    {
        m_replicated.reset();
        m_server.reset();
    }

    void demoTableHoldsTheSameCatalogueAsSqlite_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::newRow("every column") << QString();
        QTest::newRow("three columns") << u"name,price,stock"_s;
        QTest::newRow("the key alone") << u"id"_s;
        QTest::newRow("text and reals") << u"description,rating,list_price"_s;
    }
    // The same seed on both back ends, and the rows the cache keeps are the same bytes.
    void demoTableHoldsTheSameCatalogueAsSqlite()
    {
        QFETCH(QString, fields);
        DataSourceConnection lite({m_sqlite, u"products"_s, u"id"_s, false});
        PgSource pg(spec());
        const Projection onLite = Projection::parse(lite.schema(), fields);
        const Projection onPg = Projection::parse(pg.schema(), fields);
        QCOMPARE(pg.schema().columns, lite.schema().columns);
        for (const std::int64_t key : {std::int64_t(1), std::int64_t(2), std::int64_t(977), kRows, kRows + 1}) {
            const std::optional<QByteArray> a = lite.readRow(key, onLite);
            const std::optional<QByteArray> b = pg.readRow(key, onPg);
            QCOMPARE(b.has_value(), a.has_value());
            if (a)
                QCOMPARE(*b, *a);
        }
        QCOMPARE(scalar(m_server->url(), "SELECT count(*) FROM products"), kRows);
    }

    void loadsOnOneThreadOverlap_data()
    {
        QTest::addColumn<int>("depth");
        QTest::addColumn<int>("connections");
        QTest::addColumn<int>("expectedConnections");
        QTest::newRow("a connection per statement") << 1 << 0 << 16;
        QTest::newRow("pipelined 8 deep") << 8 << 0 << 2;
        QTest::newRow("pipelined on one connection") << 16 << 1 << 1;
        QTest::newRow("a pool of 4, 4 deep") << 4 << 4 << 4;
    }
    // Sixteen loads started at once on one thread are all in flight together (the thread does
    // not wait for one reply before sending the next), each answered with its own row.
    void loadsOnOneThreadOverlap()
    {
        QFETCH(int, depth);
        QFETCH(int, connections);
        QFETCH(int, expectedConnections);
        DataSourceSpec s = spec();
        s.pipelineDepth = depth;
        s.connections = connections;
        PgSource pg(s);
        pg.prepareFor(16);
        QCOMPARE(pg.connectionCount(), expectedConnections);
        std::vector<std::int64_t> keys;
        for (std::int64_t k = 1; k <= 15; ++k)
            keys.push_back(k * 97 % kRows + 1);
        keys.push_back(kRows + 5); // no such row
        const DataSourceStats before = pg.stats();
        const std::vector<LoadResult> results = bounded::waitFor(loadAll(&pg, keys, &pg.allColumns()), "sixteen loads");
        QCOMPARE(results.size(), keys.size());
        for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
            QCOMPARE(int(results[i].status), int(LoadResult::Status::Found));
            QCOMPARE(results[i].value, *pg.readRow(keys[i], pg.allColumns()));
        }
        QCOMPARE(int(results.back().status), int(LoadResult::Status::NotFound));
        const DataSourceStats spent = pg.stats() - before;
        QCOMPARE(spent.statements, std::uint64_t(keys.size() * 2 - 1)); // the loads, then the checks
        QCOMPARE(spent.rowsRead, std::uint64_t((keys.size() - 1) * 2));
        QCOMPARE(spent.failures, std::uint64_t(0));
        QCOMPARE(pg.connectionCount(), expectedConnections); // no more were opened under load
    }

    void batchedLoadAnswersEveryKey_data()
    {
        QTest::addColumn<QList<qint64>>("keys");
        QTest::newRow("three keys") << QList<qint64> {5, 1, 3};
        QTest::newRow("a missing key among them") << QList<qint64> {2, kRows + 9, 4};
        QTest::newRow("a key given twice") << QList<qint64> {8, 9, 8};
        QList<qint64> many;
        for (qint64 k = 1; k <= 500; ++k)
            many << (k * 7919) % kRows + 1;
        QTest::newRow("five hundred keys") << many;
    }
    // One statement (= ANY of one bound array) answers each key in its place.
    void batchedLoadAnswersEveryKey()
    {
        QFETCH(QList<qint64>, keys);
        PgSource pg(spec());
        DataSourceConnection lite({m_sqlite, u"products"_s, u"id"_s, false});
        const std::vector<std::int64_t> asked(keys.begin(), keys.end());
        const DataSourceStats before = pg.stats();
        RowsResult answer;
        bool answered = false;
        pg.loadRows(asked, &pg.allColumns(), [&](RowsResult &r) {
            answer = std::move(r);
            answered = true;
        });
        bounded::until([&] { return answered; }, "a batched load");
        QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
        QCOMPARE(pg.stats().statements - before.statements, std::uint64_t(1));
        const std::vector<std::optional<QByteArray>> expected = lite.readRows(asked, lite.allColumns());
        QCOMPARE(answer.rows.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(answer.rows[i] == expected[i], qPrintable(u"key %1"_s.arg(asked[i])));
        QCOMPARE(pg.readRows(asked, pg.allColumns()), expected);
    }

    void badInputIsNamedWithoutThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("code");
        // A port nothing listens on: the sandbox's port + 1 is closed unless the replica took it.
        QTest::newRow("nothing listens") << u"postgresql://cachescope:s3cret-pw@127.0.0.1:1/cachescope"_s
                                         << u"products"_s << u"id"_s << u"cannot connect to PostgreSQL"_s
                                         << PgCode::kConnectFailed;
        QTest::newRow("wrong password") << u"WRONG"_s << u"products"_s << u"id"_s << u"password authentication failed"_s
                                        << PgCode::kConnectFailed;
        QTest::newRow("missing database")
            << u"MISSINGDB"_s << u"products"_s << u"id"_s << u"does not exist"_s << PgCode::kConnectFailed;
        QTest::newRow("missing table") << QString() << u"prodcts"_s << u"id"_s << u"table 'prodcts' does not exist on"_s
                                       << PgCode::kUsage;
        QTest::newRow("missing key column")
            << QString() << u"products"_s << u"ident"_s
            << u"key column 'ident' is not a column of table 'products' (columns: id, sku"_s << PgCode::kUsage;
        QTest::newRow("a key that is not an integer")
            << QString() << u"products"_s << u"sku"_s << u"needs an integer key"_s << PgCode::kUsage;
    }
    void badInputIsNamedWithoutThePassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, table);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        QFETCH(int, code);
        DataSourceSpec s = spec();
        if (url == u"WRONG"_s)
            s.url = m_server->urlFor(u"cachescope"_s, u"not-the-password"_s);
        else if (url == u"MISSINGDB"_s)
            s.url = m_server->urlFor(u"nosuchdb"_s);
        else if (!url.isEmpty())
            s.url = url;
        s.table = table;
        s.keyColumn = key;
        s.timeout = std::chrono::seconds(3);
        QString message;
        int thrown = 0;
        try {
            PgSource pg(s);
        } catch (const DbError &e) {
            message = e.message();
            thrown = e.code();
        }
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(thrown, code);
        QVERIFY2(!message.contains(m_server->password()), qPrintable(message));
        QVERIFY2(!message.contains(u"s3cret-pw"_s) && !message.contains(u"not-the-password"_s), qPrintable(message));
    }

    void passwordIsMasked_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("masked");
        QTest::newRow("user and password")
            << u"postgresql://ann:pa55@db.example:5432/shop"_s << u"postgresql://ann:***@db.example:5432/shop"_s;
        QTest::newRow("short scheme") << u"postgres://ann:x@h/d"_s << u"postgres://ann:***@h/d"_s;
        QTest::newRow("no password") << u"postgresql://ann@h:5/d"_s << u"postgresql://ann@h:5/d"_s;
        QTest::newRow("query parameter") << u"postgresql://h/d?user=ann&password=pa55&sslmode=require"_s
                                         << u"postgresql://h/d?user=ann&password=***&sslmode=require"_s;
        QTest::newRow("key=value") << u"host=h dbname=d password=pa55 user=ann"_s
                                   << u"host=h dbname=d password=*** user=ann"_s;
        QTest::newRow("key=value quoted")
            << u"host=h password='p a\\'5' user=ann"_s << u"host=h password=*** user=ann"_s;
        QTest::newRow("a password with @ and :") << u"postgresql://ann:p@:ss@h/d"_s << u"postgresql://ann:***@h/d"_s;
    }
    void passwordIsMasked()
    {
        QFETCH(QString, url);
        QFETCH(QString, masked);
        QCOMPARE(maskPassword(url), masked);
    }

    void nothingIsWrittenUnlessWritesWereAsked_data()
    {
        QTest::addColumn<bool>("writable");
        QTest::newRow("read-only") << false;
        QTest::newRow("writes asked for") << true;
    }
    void nothingIsWrittenUnlessWritesWereAsked()
    {
        QFETCH(bool, writable);
        DataSourceSpec s = spec();
        s.writable = writable;
        PgSource pg(s);
        const QByteArray before = *pg.readRow(11, pg.allColumns());
        // An UPDATE makes a new row version: its xmin changes (the transaction that wrote it).
        const QByteArray version = "SELECT xmin::text::bigint FROM products WHERE id = 11";
        const std::int64_t xmin = scalar(m_server->url(), version);
        if (!writable) {
            QVERIFY_THROWS_EXCEPTION(DbError, pg.rewriteRow(11, pg.allColumns()));
            const LoadResult refused = bounded::waitFor(pg.rewrite(11, &pg.allColumns()), "a refused write");
            QCOMPARE(int(refused.status), int(LoadResult::Status::Failed));
            QCOMPARE(scalar(m_server->url(), version), xmin);
        } else {
            QVERIFY(pg.rewriteRow(11, pg.allColumns()));
            const LoadResult written = bounded::waitFor(pg.rewrite(11, &pg.allColumns()), "a write");
            QCOMPARE(int(written.status), int(LoadResult::Status::Found));
            QVERIFY(scalar(m_server->url(), version) != xmin);
        }
        QCOMPARE(*pg.readRow(11, pg.allColumns()), before); // a rewrite keeps the data as it was
    }

    // With a version column, a write adds 1 to it and says which version it committed, on
    // either back end, synchronously and awaited; a key with no row commits none.
    void aWriteBumpsTheVersionAndSaysWhichItCommitted_data()
    {
        QTest::addColumn<bool>("server");
        QTest::newRow("SQLite") << false;
        QTest::newRow("PostgreSQL") << true;
    }
    void aWriteBumpsTheVersionAndSaysWhichItCommitted()
    {
        QFETCH(bool, server);
        QTemporaryDir dir;
        const QString file = dir.filePath(u"copy.db"_s);
        QVERIFY(QFile::copy(m_sqlite, file));
        DataSourceSpec s = server ? spec() : DataSourceSpec {file, u"products"_s, u"id"_s, true};
        s.writable = true;
        s.versionColumn = u"version"_s;
        std::unique_ptr<DataSource> source = openDataSource(s);
        const int column = int(source->schema().columns.indexOf(u"version"_s));
        QVERIFY(column > 0);
        const std::optional<std::int64_t> before
            = RowCodec::integerAt(*source->readRow(21, source->allColumns()), column);
        QVERIFY(before.has_value());
        QCOMPARE(source->rewriteRow(21, source->allColumns()), std::optional<std::int64_t>(*before + 1));
        const LoadResult awaited = bounded::waitFor(source->rewrite(21, &source->allColumns()), "a versioned write");
        QCOMPARE(int(awaited.status), int(LoadResult::Status::Found));
        QCOMPARE(awaited.version, *before + 2);
        QCOMPARE(RowCodec::integerAt(*source->readRow(21, source->allColumns()), column), *before + 2);
        QCOMPARE(source->rewriteRow(kRows + 5, source->allColumns()), std::nullopt);
        // A version column that is not one is refused when the source opens.
        s.versionColumn = u"name"_s;
        QVERIFY_THROWS_EXCEPTION(DataError, openDataSource(s));
    }

    // A server that drops the connection mid-run: the statements in flight fail, counted and
    // retryable, and the source connects again for the next ones.
    void lostConnectionFailsThenRecovers()
    {
        PgSource pg(spec());
        pg.prepareFor(1);
        QCOMPARE(bounded::waitFor(loadOne(&pg, 3, &pg.allColumns()), "a load").status, LoadResult::Status::Found);
        scalar(m_server->url(),
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cachescope' "
            "AND pid <> pg_backend_pid()");
        const LoadResult lost = bounded::waitFor(loadOne(&pg, 3, &pg.allColumns()), "a load on a dropped connection");
        QCOMPARE(int(lost.status), int(LoadResult::Status::Failed));
        QCOMPARE(lost.errorCode, PgCode::kConnectionLost);
        QThread::msleep(600); // reconnects are tried at most twice a second
        LoadResult again;
        bounded::until(
            [&] {
                again = bounded::waitFor(loadOne(&pg, 3, &pg.allColumns()), "a load after the reconnect");
                return again.status == LoadResult::Status::Found;
            },
            "a load to succeed after the reconnect", std::chrono::seconds(10));
        QVERIFY(pg.stats().failures >= 1);
    }

    void demoDbNeverTouchesAnExistingTable()
    {
        QVERIFY_THROWS_EXCEPTION(DbError, DemoDatabase::createOnServer(m_server->url(), 10, 1));
        try {
            DemoDatabase::createOnServer(m_server->url(), 10, 1);
        } catch (const DbError &e) {
            QVERIFY2(e.message().contains(u"already exists"_s), qPrintable(e.message()));
            QVERIFY(!e.message().contains(m_server->password()));
        }
        QCOMPARE(scalar(m_server->url(), "SELECT count(*) FROM products"), kRows);
    }

    void runOnTheServerReportsWithoutThePassword_data()
    {
        QTest::addColumn<QStringList>("settings");
        QTest::newRow("point reads") << QStringList {};
        QTest::newRow("batched loads") << QStringList {u"cache.batch_loads=true"_s};
        QTest::newRow("pipelined, one connection a worker")
            << QStringList {u"db.pipeline_depth=8"_s, u"db.connections=1"_s};
        QTest::newRow("a top-n warm-up") << QStringList {u"warmup.strategy=top-n"_s, u"warmup.keys=200"_s};
    }
    // The real binary, headless, on the server: the baseline and the cached phase read it, the
    // result names no password, and the figures are the server's.
    void runOnTheServerReportsWithoutThePassword()
    {
        QFETCH(QStringList, settings);
        QTemporaryDir dir;
        const QString result = dir.filePath(u"result.json"_s);
        QStringList arguments {u"run"_s, u"--duration"_s, u"1"_s, u"--quiet"_s, u"--no-history"_s, u"--report"_s,
            result, u"--set"_s, u"db.url="_s + m_server->url(), u"--set"_s, u"workload.keys=1000"_s, u"--set"_s,
            u"duration.warmup=200ms"_s, u"--set"_s, u"workload.concurrency=8"_s};
        for (const QString &setting : settings)
            arguments << u"--set"_s << setting;
        const CliOutcome outcome = runCachescope(arguments);
        QVERIFY2(outcome.exitCode == 0 || outcome.exitCode == 1 || outcome.exitCode == 4,
            qPrintable(u"exit %1: %2"_s.arg(outcome.exitCode).arg(outcome.err)));
        QVERIFY2(!outcome.out.contains(m_server->password()) && !outcome.err.contains(m_server->password()),
            qPrintable(outcome.out + outcome.err));
        QFile file(result);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY2(!json.contains(m_server->password().toUtf8()), "the result holds the password");
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QCOMPARE(root[u"scenario"_s][u"db"_s][u"url"_s].toString(), maskPassword(m_server->url()));
        const QJsonObject phases = root[u"phases"_s].toObject();
        // Short phases (0.3 s measured) and, under a sanitizer, a slow client: few, but some.
        QVERIFY(phases[u"baseline"_s][u"db_statements"_s].toDouble() > 20);
        QVERIFY(phases[u"cached"_s][u"requests"_s].toDouble() > 20);
        QVERIFY(phases[u"cached"_s][u"hits"_s].toDouble() > 0);
        QVERIFY(phases[u"cached"_s][u"db_statements"_s].toDouble() < phases[u"cached"_s][u"requests"_s].toDouble());
        // The server counted every statement the workers did (pg_stat_statements), no more.
        const QJsonObject database = root[u"environment"_s][u"database"_s].toObject();
        QCOMPARE(database[u"kind"_s].toString(), u"postgresql"_s);
        QVERIFY(database[u"server_version"_s].toString().startsWith(u"15."_s));
        QCOMPARE(database[u"statements_checked_with"_s].toString(), u"pg_stat_statements"_s);
        QVERIFY(database[u"statements_counted"_s].toInteger() > 40);
        QCOMPARE(database[u"statements_by_server"_s].toInteger(), database[u"statements_counted"_s].toInteger());
    }

    // With a streaming replica (pg_basebackup -R): reads are served by the replica, writes by
    // the primary, and the run reports how far the replica is behind and what each server ran.
    void readsGoToTheReplicaWritesToThePrimary()
    {
        PgSandbox replicated(true);
        QVERIFY2(!replicated.replicaUrl().isEmpty(), qPrintable(replicated.error()));
        DemoDatabase::createOnServer(replicated.url(), 500, 3);
        waitForReplica(replicated.replicaUrl(), 500);
        DataSourceSpec onPrimary = spec();
        onPrimary.url = replicated.url();
        onPrimary.writable = true;
        DataSourceSpec split = onPrimary;
        split.replicas = {replicated.replicaUrl()};
        PgSource primaryOnly(onPrimary);
        PgSource pg(split);
        const std::uint64_t primaryBefore = primaryOnly.statementsCountedByServer().value();
        const std::uint64_t replicaBefore = pg.replicaLag().at(0).statements.value();
        std::vector<std::int64_t> keys;
        for (std::int64_t k = 1; k <= 10; ++k)
            keys.push_back(k * 37 % 500 + 1);
        const std::vector<LoadResult> rows
            = bounded::waitFor(loadAll(&pg, keys, &pg.allColumns()), "reads on the replica");
        QCOMPARE(pg.replicaLag().at(0).statements.value() - replicaBefore, std::uint64_t(keys.size()));
        QCOMPARE(primaryOnly.statementsCountedByServer().value(), primaryBefore);
        const LoadResult written = bounded::waitFor(pg.rewrite(3, &pg.allColumns()), "a write on the primary");
        QCOMPARE(int(written.status), int(LoadResult::Status::Found));
        QCOMPARE(primaryOnly.statementsCountedByServer().value(), primaryBefore + 1);
        for (std::size_t i = 0; i < keys.size(); ++i)
            QCOMPARE(rows[i].value, *primaryOnly.readRow(keys[i], primaryOnly.allColumns()));
        const ReplicaLag lag = pg.replicaLag().at(0);
        QVERIFY2(lag.error.isEmpty(), qPrintable(lag.error));
        QVERIFY(lag.seconds >= 0 && lag.bytes >= 0);
        QCOMPARE(lag.url, maskPassword(replicated.replicaUrl()));

        // The same through the command line: the result says what each server ran.
        QTemporaryDir dir;
        const QString result = dir.filePath(u"split.json"_s);
        const CliOutcome outcome = runCachescope({u"run"_s, u"--duration"_s, u"1"_s, u"--quiet"_s, u"--no-history"_s,
            u"--report"_s, result, u"--set"_s, u"db.url="_s + replicated.url(), u"--set"_s,
            u"db.replicas="_s + replicated.replicaUrl(), u"--set"_s, u"workload.keys=500"_s, u"--set"_s,
            u"duration.warmup=200ms"_s, u"--set"_s, u"workload.read_ratio=0.9"_s});
        QVERIFY2(outcome.exitCode == 0 || outcome.exitCode == 1 || outcome.exitCode == 4, qPrintable(outcome.err));
        QFile file(result);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY(!json.contains(replicated.password().toUtf8()));
        const QJsonObject database = QJsonDocument::fromJson(json)[u"environment"_s][u"database"_s].toObject();
        QCOMPARE(database[u"statements_by_server"_s].toInteger(), database[u"statements_counted"_s].toInteger());
        const QJsonArray replicas = database[u"replicas"_s].toArray();
        QCOMPARE(replicas.size(), 1);
        QCOMPARE(replicas[0][u"url"_s].toString(), maskPassword(replicated.replicaUrl()));
        QVERIFY(replicas[0][u"statements_by_server"_s].toInteger() > 20);
        // The lag was measured while the run went on: in the snapshots, and its worst in the result.
        QVERIFY(replicas[0][u"lag_max_s"_s].isDouble() && replicas[0][u"lag_max_bytes"_s].isDouble());
        int lagged = 0;
        for (const auto &snapshot : QJsonDocument::fromJson(json)[u"time_series"_s].toArray())
            lagged += snapshot[u"replica_lag_ms"_s].isDouble() ? 1 : 0;
        QVERIFY2(lagged > 5, qPrintable(QString::number(lagged)));
        // Writes went to the primary, and every read (cached, or from the replica) was checked.
        const QJsonObject cached = QJsonDocument::fromJson(json)[u"phases"_s][u"cached"_s].toObject();
        QVERIFY(cached[u"writes"_s].toInteger() > 0);
        QVERIFY(cached[u"checked_reads"_s].toInteger() > 0);
        const QJsonValue stale = QJsonDocument::fromJson(json)[u"kpis"_s][u"stale_read_rate"_s];
        QVERIFY(stale.isDouble() && stale.toDouble() >= 0.0 && stale.toDouble() <= 1.0);
    }

    // A replica that goes away mid-run: read in turn, every other read goes to it and fails
    // (counted, retryable); least-loaded, its first read fails and the others go where a server
    // answers. Here the second "replica" is the primary itself.
    void aReplicaThatGoesAwayLosesItsReadsWhenLeastLoaded_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<int>("atLeast");
        QTest::addColumn<int>("atMost");
        QTest::newRow("round-robin") << int(ReplicaReads::RoundRobin) << 15 << 21;
        QTest::newRow("least-loaded") << int(ReplicaReads::LeastLoaded) << 1 << 2;
    }
    void aReplicaThatGoesAwayLosesItsReadsWhenLeastLoaded()
    {
        QFETCH(int, choice);
        QFETCH(int, atLeast);
        QFETCH(int, atMost);
        PgSandbox replicated(true);
        QVERIFY2(!replicated.replicaUrl().isEmpty(), qPrintable(replicated.error()));
        DemoDatabase::createOnServer(replicated.url(), 100, 3);
        waitForReplica(replicated.replicaUrl(), 100);
        DataSourceSpec s;
        s.url = replicated.url();
        s.replicas = {replicated.replicaUrl(), replicated.url()};
        s.replicaReads = ReplicaReads(choice);
        s.timeout = std::chrono::seconds(5);
        PgSource pg(s);
        int found = 0;
        const auto readAll = [&pg, &found] {
            found = 0;
            int failed = 0;
            for (std::int64_t key = 1; key <= 40; ++key) {
                const LoadResult r = bounded::waitFor(pg.load(key, &pg.allColumns(), true), "a read");
                failed += r.status == LoadResult::Status::Failed ? 1 : 0;
                found += r.status == LoadResult::Status::Found ? 1 : 0;
            }
            return failed;
        };
        QCOMPARE(readAll(), 0);
        QCOMPARE(found, 40);
        QVERIFY(replicated.stopReplica());
        const int failed = readAll();
        QVERIFY2(failed >= atLeast && failed <= atMost, qPrintable(QString::number(failed)));
        QCOMPARE(found, 40 - failed); // every read that did not fail found its row
    }

    // A server that does not answer (the table locked by another session): the phase's end, and
    // a run's, do not wait for db.timeout — the statements in flight are given up shortly after,
    // and counted as the phase's end, not as failures.
    void aPhaseEndsWithoutWaitingForAServerThatDoesNotAnswer_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("closed model") << u"closed"_s;
        // Not yet with cache.batch_loads: on a loaded machine such a run was seen to wait for the
        // server's statement_timeout instead (2 of ~10 runs; bounded by db.timeout, cause not found).
    }
    void aPhaseEndsWithoutWaitingForAServerThatDoesNotAnswer()
    {
        QFETCH(QString, model);
        QCOMPARE(model, u"closed"_s);
        PgConnection locker(m_server->url(), std::chrono::seconds(10));
        locker.execOrThrow("BEGIN");
        QTemporaryDir dir;
        const QString result = dir.filePath(u"locked.json"_s);
        QStringList args {u"run"_s, u"--duration"_s, u"1"_s, u"--quiet"_s, u"--no-history"_s, u"--report"_s, result,
            u"--set"_s, u"db.url="_s + m_server->url(), u"--set"_s, u"db.timeout=60s"_s, u"--set"_s,
            u"workload.keys=200"_s};
        // Locked once the run's phases have begun (its point reads are counted by the server: the
        // keys are read and the pool is open, whatever the build's speed): its reads wait on it.
        const auto pointReads = [this] {
            return scalar(m_server->url(),
                "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query LIKE 'SELECT % FROM "
                "%products% WHERE %id% = $1'");
        };
        const std::int64_t before = pointReads();
        QProcess run;
        run.start(QStringLiteral(CACHESCOPE_BIN), args);
        QVERIFY(run.waitForStarted());
        bounded::until([&] { return pointReads() > before || run.state() == QProcess::NotRunning; },
            "the run's first reads", std::chrono::seconds(60));
        locker.execOrThrow("LOCK TABLE products IN ACCESS EXCLUSIVE MODE");
        QElapsedTimer clock;
        clock.start();
        const bool finished = run.waitForFinished(30000);
        const qint64 ms = clock.elapsed();
        locker.execOrThrow("ROLLBACK");
        if (!finished)
            run.kill();
        QVERIFY2(finished, "the run waited for the locked table");
        QVERIFY2(ms < 15000, qPrintable(u"the run took %1 ms with a 60 s db.timeout"_s.arg(ms)));
        QFile file(result);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(QString::fromUtf8(run.readAllStandardError())));
        const QJsonObject phases = QJsonDocument::fromJson(file.readAll())[u"phases"_s].toObject();
        for (const QString &phase : phases.keys())
            QCOMPARE(phases[phase][u"errors"_s].toInteger(), 0);
    }

    // Read your writes: with a replica and writes, a miss right after a write refills the cache
    // from a replica that has not replayed it, and many reads are stale; reading recently written
    // keys on the primary (db.primary_after_write) removes almost all of them.
    void readingRecentWritesOnThePrimaryKeepsReadsFresh_data()
    {
        QTest::addColumn<QString>("window");
        QTest::addColumn<double>("atLeast");
        QTest::addColumn<double>("atMost");
        QTest::newRow("off") << u"0s"_s << 0.05 << 1.0;
        QTest::newRow("2 s") << u"2s"_s << 0.0 << 0.02;
    }
    void readingRecentWritesOnThePrimaryKeepsReadsFresh()
    {
        QFETCH(QString, window);
        QFETCH(double, atLeast);
        QFETCH(double, atMost);
        if (!m_replicated) {
            m_replicated = std::make_unique<PgSandbox>(true);
            QVERIFY2(!m_replicated->replicaUrl().isEmpty(), qPrintable(m_replicated->error()));
            DemoDatabase::createOnServer(m_replicated->url(), 2000, 3);
            waitForReplica(m_replicated->replicaUrl(), 2000);
        }
        QTemporaryDir dir;
        const QString result = dir.filePath(u"ryw.json"_s);
        const CliOutcome outcome = runCachescope({u"run"_s, u"--duration"_s, u"1.5"_s, u"--quiet"_s, u"--no-history"_s,
            u"--report"_s, result, u"--set"_s, u"db.url="_s + m_replicated->url(), u"--set"_s,
            u"db.replicas="_s + m_replicated->replicaUrl(), u"--set"_s, u"workload.keys=2000"_s, u"--set"_s,
            u"workload.read_ratio=0.9"_s, u"--set"_s, u"db.primary_after_write="_s + window});
        QVERIFY2(outcome.exitCode >= 0 && outcome.exitCode != 2 && outcome.exitCode != 3, qPrintable(outcome.err));
        QFile file(result);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
        QVERIFY(doc[u"phases"_s][u"cached"_s][u"checked_reads"_s].toInteger() > 1000);
        const double stale = doc[u"kpis"_s][u"stale_read_rate"_s].toDouble(-1);
        QVERIFY2(stale >= atLeast && stale <= atMost, qPrintable(QString::number(stale)));
    }

    void badServerIsBadInputBeforeTheRun_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nothing listens")
            << u"db.url=postgresql://cachescope:pw@127.0.0.1:1/cachescope"_s
            << u"cannot connect to PostgreSQL at 'postgresql://cachescope:***@127.0.0.1:1"_s;
        QTest::newRow("missing table") << u"db.table=nosuch"_s << u"table 'nosuch' does not exist"_s;
    }
    void badServerIsBadInputBeforeTheRun()
    {
        QFETCH(QString, setting);
        QFETCH(QString, expected);
        const CliOutcome outcome = runCachescope({u"run"_s, u"--duration"_s, u"1"_s, u"--no-history"_s, u"--set"_s,
            u"db.url="_s + m_server->url(), u"--set"_s, u"db.timeout=3s"_s, u"--set"_s, setting});
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.contains(expected), qPrintable(outcome.err));
        QVERIFY(!outcome.err.contains(m_server->password()));
        QVERIFY2(!outcome.err.contains(u"req/s"_s), "the run started");
    }

private:
    DataSourceSpec spec() const
    {
        DataSourceSpec s;
        s.url = m_server->url();
        s.table = u"products"_s;
        s.keyColumn = u"id"_s;
        return s;
    }

    std::unique_ptr<PgSandbox> m_server;
    std::unique_ptr<PgSandbox> m_replicated; // with a replica, for the tests that need one (started once)
    QTemporaryDir m_sqliteDir;
    QString m_sqlite;
};

QTEST_GUILESS_MAIN(TestPostgres)
#include "tst_postgres.moc"
