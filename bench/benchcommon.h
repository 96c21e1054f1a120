#pragma once

// Helpers the benchmarks share: medians of rounds, and one run of the real ExperimentRunner.
#include "core/experiment/experimentrunner.h"

#include <QEventLoop>

#include <algorithm>
#include <vector>

namespace cachescope::bench {

inline double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
}

/// Runs \a scenario to its end on a runner of this thread and returns the result.
inline RunResult runScenario(const Scenario &scenario)
{
    ExperimentRunner runner;
    RunResult result;
    QEventLoop loop;
    QObject::connect(&runner, &ExperimentRunner::runFinished, &loop, [&](const RunResult &r) {
        result = r;
        loop.quit();
    });
    runner.start(scenario);
    loop.exec();
    return result;
}

} // namespace cachescope::bench
