// Redis as the shared L2, against a real server this test starts (scripts/redis-sandbox): the
// hiredis connection on this thread's event loop, the tier's rows under its prefix, invalidation
// of other instances' L1 through CLIENT TRACKING, and every bad input named without a password.

#include "redissandbox.h"

#include "core/redis/redisconnection.h"
#include "core/redis/redistier.h"
#include "core/redis/redisurl.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>
#include <vector>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {

RedisUrl urlOf(const QString &text)
{
    QString error;
    const std::optional<RedisUrl> url = RedisUrl::parse(text, &error);
    if (!url)
        qFatal("bad test URL %s: %s", qPrintable(text), qPrintable(error));
    return *url;
}

// Waits (running this thread's event loop) until \a done, at most 20 s.
template<typename F> bool waitUntil(F done)
{
    return QTest::qWaitFor(done, 20000);
}

RedisAnswer exec(RedisConnection &connection, const RedisConnection::Command &command)
{
    return connection.execBlocking(command);
}

RedisTierConfig tierConfig(const QString &url, const QByteArray &prefix, L2Tracking tracking)
{
    RedisTierConfig config;
    config.url = urlOf(url);
    config.prefix = prefix;
    config.ttl = std::chrono::seconds(60);
    config.timeout = std::chrono::seconds(5);
    config.tracking = tracking;
    return config;
}

SharedRead getNow(RedisTier &tier, std::int64_t key)
{
    auto out = std::make_shared<std::optional<SharedRead>>();
    tier.get(key, [out](SharedRead &read) { *out = std::move(read); });
    if (!waitUntil([&out] { return out->has_value(); }))
        qFatal("no answer to GET %lld", static_cast<long long>(key));
    return **out;
}

} // namespace

Q_DECLARE_METATYPE(cachescope::L2Tracking)

class TestRedis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<RedisSandbox>(QStringList {u"--password"_s, u"pw-1234"_s});
        QVERIFY2(!m_server->url().isEmpty(), qPrintable(m_server->error()));
    }
    void cleanupTestCase() { m_server.reset(); }

    void urlIsParsedOrNamedAsWrong_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("error"); // a part of the message; empty = parses
        QTest::newRow("host only") << u"redis://127.0.0.1"_s << u"127.0.0.1"_s << 6379 << 0 << QString() << QString()
                                   << QString();
        QTest::newRow("port and db") << u"redis://localhost:7000/3"_s << u"localhost"_s << 7000 << 3 << QString()
                                     << QString() << QString();
        QTest::newRow("password alone") << u"redis://:s3cret@h:1"_s << u"h"_s << 1 << 0 << QString() << u"s3cret"_s
                                        << QString();
        QTest::newRow("user and password")
            << u"redis://app:p%40ss@h:2/1"_s << u"h"_s << 2 << 1 << u"app"_s << u"p@ss"_s << QString();
        QTest::newRow("tls") << u"rediss://h:6380"_s << QString() << 0 << 0 << QString() << QString() << u"TLS"_s;
        QTest::newRow("other scheme") << u"http://h:1"_s << QString() << 0 << 0 << QString() << QString()
                                      << u"not a redis://"_s;
        QTest::newRow("bad database") << u"redis://h:1/x"_s << QString() << 0 << 0 << QString() << QString()
                                      << u"not a database number"_s;
        QTest::newRow("bad port") << u"redis://h:99999"_s << QString() << 0 << 0 << QString() << QString() << u"URL"_s;
        QTest::newRow("empty") << QString() << QString() << 0 << 0 << QString() << QString() << u"no Redis URL"_s;
    }
    void urlIsParsedOrNamedAsWrong()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        QString why;
        const std::optional<RedisUrl> parsed = RedisUrl::parse(url, &why);
        if (!error.isEmpty()) {
            QVERIFY(!parsed);
            QVERIFY2(why.contains(error), qPrintable(why));
            return;
        }
        QVERIFY2(parsed, qPrintable(why));
        QTEST(parsed->host, "host");
        QTEST(parsed->port, "port");
        QTEST(parsed->database, "database");
        QTEST(parsed->user, "user");
        QTEST(parsed->password, "password");
        QVERIFY(!parsed->password.isEmpty() ? !parsed->masked().contains(parsed->password) : true);
    }

    void maskHidesThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("masked");
        QTest::newRow("password") << u"redis://:hunter2@h:1"_s << u"redis://:***@h:1"_s;
        QTest::newRow("user") << u"redis://u:hunter2@h:1/2"_s << u"redis://u:***@h:1/2"_s;
        QTest::newRow("none") << u"redis://h:1"_s << u"redis://h:1"_s;
        QTest::newRow("unparsable") << u"redis://u:hunter2@:x"_s << u"redis://u:***@:x"_s;
    }
    void maskHidesThePassword()
    {
        QFETCH(QString, url);
        QTEST(maskRedisUrl(url), "masked");
    }

    void pipelinedCommandsAreAnsweredInOrder()
    {
        RedisConnection connection(urlOf(m_server->url()), std::chrono::seconds(5));
        connection.open();
        QVERIFY(connection.clientId() > 0);
        constexpr int kCount = 2000;
        std::vector<QByteArray> answers;
        // All sent before the event loop turns: they leave in one write and come back in order.
        for (int i = 0; i < kCount; ++i)
            connection.send({"SET", "order:" + QByteArray::number(i), QByteArray::number(i * 7)}, [](RedisAnswer &) {});
        for (int i = 0; i < kCount; ++i)
            connection.send({"GET", "order:" + QByteArray::number(i)},
                [&answers](RedisAnswer &answer) { answers.push_back(answer.value.text); });
        QCOMPARE(connection.inFlight(), 2 * kCount);
        QVERIFY(waitUntil([&] { return int(answers.size()) == kCount; }));
        for (int i = 0; i < kCount; ++i)
            QCOMPARE(answers[std::size_t(i)], QByteArray::number(i * 7));
        QCOMPARE(connection.inFlight(), 0);
    }

    void wrongPasswordIsNamedWithoutIt()
    {
        QString url = m_server->url();
        url.replace(u"pw-1234"_s, u"not-the-password"_s);
        RedisConnection connection(urlOf(url), std::chrono::seconds(5));
        try {
            connection.open();
            QFAIL("a wrong password was accepted");
        } catch (const RedisError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(u"WRONGPASS"_s) || message.contains(u"invalid"_s), qPrintable(message));
            QVERIFY2(!message.contains(u"not-the-password"_s), qPrintable(message));
            QVERIFY2(message.contains(u"127.0.0.1:%1"_s.arg(m_server->port())), qPrintable(message));
        }
    }

    void unreachableServerFailsWithinTheTimeout()
    {
        // A port nothing listens on (the sandbox's, plus one, refused at once on loopback).
        RedisConnection connection(urlOf(u"redis://127.0.0.1:%1"_s.arg(m_server->port() + 1)), std::chrono::seconds(3));
        QElapsedTimer timer;
        timer.start();
        QVERIFY_THROWS_EXCEPTION(RedisError, connection.open());
        QVERIFY(timer.elapsed() < 5000);
        RedisAnswer answer;
        bool answered = false;
        connection.send({"PING"}, [&](RedisAnswer &a) {
            answer = a;
            answered = true;
        });
        QVERIFY(answered); // at once: never opened, never waited for
        QVERIFY(!answer.ok());
    }

    void tierKeepsRowsUnderItsPrefixWithTheirTtl()
    {
        RedisTier tier(tierConfig(m_server->url(), "tst:rows:", L2Tracking::Off));
        tier.open();
        QCOMPARE(getNow(tier, 1).status, SharedRead::Status::Miss);
        tier.put(1, "row-one", std::nullopt, false);
        const SharedRead hit = getNow(tier, 1);
        QCOMPARE(hit.status, SharedRead::Status::Hit);
        QCOMPARE(hit.value, QByteArray("row-one"));
        QVERIFY(hit.nanos > 0);
        const RedisAnswer ttl = exec(tier.data(), {"PTTL", "tst:rows:1"});
        QVERIFY2(
            ttl.value.integer > 50'000 && ttl.value.integer <= 60'000, qPrintable(QString::number(ttl.value.integer)));
        tier.remove(1, std::nullopt);
        QCOMPARE(getNow(tier, 1).status, SharedRead::Status::Miss);
        // A value there that is not a CacheScope row is never taken for one.
        exec(tier.data(), {"SET", "tst:rows:2", "somebody else's"});
        QCOMPARE(getNow(tier, 2).status, SharedRead::Status::Miss);
        QCOMPARE(tier.stats().foreign.load(), 1u);
        QCOMPARE(tier.stats().hits.load(), 1u);
    }

    void versionedPutNeverLandsOverANewerVersion_data()
    {
        QTest::addColumn<qint64>("stored"); // the version on the server: a write's tombstone
        QTest::addColumn<qint64>("filled"); // the version of the row a fill brings
        QTest::addColumn<bool>("lands");
        QTest::newRow("older fill after the write") << qint64(7) << qint64(6) << false;
        QTest::newRow("the written version") << qint64(7) << qint64(7) << true;
        QTest::newRow("newer") << qint64(7) << qint64(9) << true;
    }
    void versionedPutNeverLandsOverANewerVersion()
    {
        QFETCH(qint64, stored);
        QFETCH(qint64, filled);
        QFETCH(bool, lands);
        RedisTier tier(tierConfig(m_server->url(), "tst:ver:", L2Tracking::Keys));
        tier.open();
        const std::int64_t key = 100 + filled;
        tier.remove(key, stored); // a write committed version `stored`: a tombstone
        QCOMPARE(getNow(tier, key).status, SharedRead::Status::Miss);
        tier.put(key, "row v" + QByteArray::number(filled), filled, true);
        const SharedRead read = getNow(tier, key);
        QCOMPARE(read.status, lands ? SharedRead::Status::Hit : SharedRead::Status::Miss);
        if (lands)
            QCOMPARE(read.value, "row v" + QByteArray::number(filled));
        QCOMPARE(tier.stats().errors.load(), 0u);
        QCOMPARE(tier.stats().foreign.load(), 0u);
        // A fill without a version still lands (a table without a version column).
        tier.put(key + 1000, "plain", std::nullopt, true);
        QCOMPARE(getNow(tier, key + 1000).value, QByteArray("plain"));
    }

    void clearDeletesOnlyItsOwnRows()
    {
        RedisTier tier(tierConfig(m_server->url(), "tst:clear:", L2Tracking::Off));
        tier.open();
        for (int key = 0; key < 300; ++key)
            tier.put(key, "r" + QByteArray::number(key), std::nullopt, false);
        exec(tier.data(), {"SET", "tst:clear:foreign", "not ours"});
        exec(tier.data(), {"HSET", "tst:clear:hash", "f", "v"});
        exec(tier.data(), {"SET", "tst:other:1", RedisTier::encode("a row, another prefix")});
        QCOMPARE(tier.clear(), 300);
        QCOMPARE(exec(tier.data(), {"EXISTS", "tst:clear:foreign", "tst:clear:hash", "tst:other:1"}).value.integer, 3);
        QCOMPARE(exec(tier.data(), {"EXISTS", "tst:clear:7"}).value.integer, 0);
    }

    void writesReachOtherInstancesL1_data()
    {
        QTest::addColumn<L2Tracking>("tracking");
        QTest::newRow("keys") << L2Tracking::Keys;
        QTest::newRow("bcast") << L2Tracking::Broadcast;
    }
    void writesReachOtherInstancesL1()
    {
        QFETCH(L2Tracking, tracking);
        const QByteArray prefix = "tst:inv:" + QByteArray::number(int(tracking)) + ':';
        RedisTier a(tierConfig(m_server->url(), prefix, tracking));
        RedisTier b(tierConfig(m_server->url(), prefix, tracking));
        std::vector<std::int64_t> toldA;
        std::vector<std::int64_t> toldB;
        a.setInvalidationHandler([&toldA](std::int64_t key) { toldA.push_back(key); });
        b.setInvalidationHandler([&toldB](std::int64_t key) { toldB.push_back(key); });
        a.open();
        b.open();
        a.put(5, "v1", std::nullopt, true); // sent now: b's GET goes on another connection
        QCOMPARE(getNow(b, 5).value, QByteArray("v1")); // b read it: the server tracks it for b
        toldB.clear(); // (bcast: b was told of a's fill)
        a.remove(5, std::nullopt); // a's write
        QVERIFY(waitUntil([&] { return !toldB.empty(); }));
        QCOMPARE(toldB, std::vector<std::int64_t> {5});
        // NOLOOP: the writer is not told of its own write.
        QTest::qWait(50);
        QVERIFY2(std::find(toldA.begin(), toldA.end(), 5) == toldA.end(), "the writer was told of its own write");
    }

    void trackingOffTellsNoOne()
    {
        RedisTier a(tierConfig(m_server->url(), "tst:off:", L2Tracking::Off));
        RedisTier b(tierConfig(m_server->url(), "tst:off:", L2Tracking::Off));
        int told = 0;
        b.setInvalidationHandler([&told](std::int64_t) { ++told; });
        a.open();
        b.open();
        a.put(9, "v1", std::nullopt, true); // sent now: b's GET goes on another connection
        QCOMPARE(getNow(b, 9).status, SharedRead::Status::Hit);
        a.remove(9, std::nullopt);
        QCOMPARE(getNow(b, 9).status, SharedRead::Status::Miss); // the server's copy is gone...
        QTest::qWait(100);
        QCOMPARE(told, 0); // ...but nobody told b's L1
    }

    void serverRestartFailsWhatWaitedFlushesL1AndReconnects()
    {
        RedisTier tier(tierConfig(m_server->url(), "tst:restart:", L2Tracking::Keys));
        std::vector<std::int64_t> told;
        tier.setInvalidationHandler([&told](std::int64_t key) { told.push_back(key); });
        tier.open();
        tier.put(1, "before", std::nullopt, false);
        QCOMPARE(getNow(tier, 1).status, SharedRead::Status::Hit);
        QVERIFY(m_server->restart());
        // The first command after the restart finds the connection gone: it fails, counted, at
        // once or when the close is read — never a hang.
        const SharedRead during = getNow(tier, 1);
        QVERIFY(during.status == SharedRead::Status::Failed || during.status == SharedRead::Status::Miss);
        QVERIFY(waitUntil([&] { return std::find(told.begin(), told.end(), -1) != told.end(); }));
        QVERIFY(tier.stats().flushes.load() >= 1);
        // Within a second it is connected again (at most two attempts a second).
        QVERIFY(waitUntil([&] {
            const SharedRead again = getNow(tier, 1);
            return again.status == SharedRead::Status::Miss; // the restarted server is empty
        }));
        tier.put(2, "after", std::nullopt, false);
        QCOMPARE(getNow(tier, 2).value, QByteArray("after"));
    }

private:
    std::unique_ptr<RedisSandbox> m_server;
};

QTEST_GUILESS_MAIN(TestRedis)
#include "tst_redis.moc"
