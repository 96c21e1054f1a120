#pragma once

// Helpers the benchmarks share: medians of rounds, and one run of the real PhaseRunner.
#include "core/experiment/phaserunner.h"

#include <QEventLoop>

#include <algorithm>
#include <vector>

namespace cachescope::bench {

/// The median: the middle value, or the mean of the two middle values for an even count (taking
/// the upper one instead would favour whatever side the larger values come from).
inline double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const std::size_t half = values.size() / 2;
    return values.size() % 2 ? values[half] : (values[half - 1] + values[half]) / 2;
}

/// Runs \a scenario to its end on a runner of this thread and returns the result.
inline RunResult runScenario(const Scenario &scenario)
{
    PhaseRunner runner;
    RunResult result;
    QEventLoop loop;
    QObject::connect(&runner, &PhaseRunner::runFinished, &loop, [&](const RunResult &r) {
        result = r;
        loop.quit();
    });
    runner.start(scenario);
    loop.exec();
    return result;
}

} // namespace cachescope::bench
