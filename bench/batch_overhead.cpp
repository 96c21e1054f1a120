// The batch engine's own cost per item: processBatch over N items with a processor that does
// nothing (a coroutine returning its argument), K in flight, on this thread. Median of rounds.
//
//   build/release/bench/batch_overhead [--items N] [--concurrency K] [--rounds R]
#include "bench/benchcommon.h"
#include "core/batch/batchprocessor.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
QCoro::Task<int> nothing(int item)
{
    co_return item;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Per-item overhead of the batch engine"_s);
    parser.addHelpOption();
    const QCommandLineOption itemsOption(u"items"_s, u"Items per batch."_s, u"n"_s, u"1000000"_s);
    const QCommandLineOption concurrencyOption(u"concurrency"_s, u"Items in flight."_s, u"k"_s, u"16"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Batches timed."_s, u"r"_s, u"5"_s);
    parser.addOptions({itemsOption, concurrencyOption, roundsOption});
    parser.process(app);
    const int n = parser.value(itemsOption).toInt();
    TimerQueue timers;
    std::vector<double> perItem;
    for (int r = 0; r < parser.value(roundsOption).toInt(); ++r) {
        std::vector<int> items(std::size_t(n), 0);
        for (int i = 0; i < n; ++i)
            items[std::size_t(i)] = i;
        BatchOptions options;
        options.concurrency = parser.value(concurrencyOption).toInt();
        const auto start = std::chrono::steady_clock::now();
        const auto outcome = QCoro::waitFor(
            processBatch<int, int>(&timers, &timers, std::move(items), [](int i) { return nothing(i); }, options, {}));
        const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        if (outcome.progress.done != std::uint64_t(n)) {
            std::fprintf(stderr, "batch_overhead: %llu of %d items done\n",
                static_cast<unsigned long long>(outcome.progress.done), n);
            return 3;
        }
        perItem.push_back(ns / n);
        std::printf("round %d: %.0f ns per item (%d items, %d in flight)\n", r + 1, ns / n, n, options.concurrency);
    }
    std::printf("median: %.0f ns per item (target <= 2000 ns)\n", cachescope::bench::median(perItem));
    return 0;
}
