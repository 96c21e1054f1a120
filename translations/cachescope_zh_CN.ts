<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Criterion</name>
    <message>
        <source>cache hit rate</source>
        <translation>缓存命中率</translation>
    </message>
    <message>
        <source>database queries reduced</source>
        <translation>数据库查询减少</translation>
    </message>
    <message>
        <source>throughput vs baseline</source>
        <translation>吞吐量对比基线</translation>
    </message>
    <message>
        <source>response time (p50) reduced</source>
        <translation>响应时间（p50）缩短</translation>
    </message>
    <message>
        <source>bytes transferred reduced (projection)</source>
        <translation>传输字节减少（投影）</translation>
    </message>
    <message>
        <source>cold-start time reduced (warm-up)</source>
        <translation>冷启动时间缩短（预热）</translation>
    </message>
</context>
<context>
    <name>Kpi</name>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>share of the cached phase&apos;s reads answered by a cache tier</source>
        <translation>缓存阶段中由某一缓存层应答的读请求占比</translation>
    </message>
    <message>
        <source>DB queries reduced</source>
        <translation>数据库查询减少</translation>
    </message>
    <message>
        <source>1 − (statements per request, cached) ÷ (statements per request, baseline)</source>
        <translation>1 − （每请求语句数，缓存）÷（每请求语句数，基线）</translation>
    </message>
    <message>
        <source>Throughput × baseline</source>
        <translation>吞吐量 × 基线</translation>
    </message>
    <message>
        <source>requests per second, cached ÷ baseline</source>
        <translation>每秒请求数，缓存 ÷ 基线</translation>
    </message>
    <message>
        <source>p50 latency reduced</source>
        <translation>p50 延迟缩短</translation>
    </message>
    <message>
        <source>1 − median response time, cached ÷ baseline</source>
        <translation>1 − 响应时间中位数，缓存 ÷ 基线</translation>
    </message>
    <message>
        <source>p99 latency reduced</source>
        <translation>p99 延迟缩短</translation>
    </message>
    <message>
        <source>1 − 99th percentile response time, cached ÷ baseline</source>
        <translation>1 − 第 99 百分位响应时间，缓存 ÷ 基线</translation>
    </message>
    <message>
        <source>Bytes read reduced</source>
        <translation>读取字节减少</translation>
    </message>
    <message>
        <source>1 − bytes read with the projection ÷ with full rows, same keys</source>
        <translation>1 − 使用投影读取的字节 ÷ 读取整行的字节，键相同</translation>
    </message>
    <message>
        <source>Cold start reduced</source>
        <translation>冷启动缩短</translation>
    </message>
    <message>
        <source>1 − time to a steady hit rate, warmed ÷ cold</source>
        <translation>1 − 达到稳定命中率的时间，预热 ÷ 冷启动</translation>
    </message>
    <message>
        <source>Hit-rate bound B(h)</source>
        <translation>命中率上限 B(h)</translation>
    </message>
    <message>
        <source>the best throughput ratio the hit rate allows: 1 ÷ ((1 − h) + h·c), c = a hit&apos;s cost in baseline reads</source>
        <translation>该命中率所允许的最佳吞吐量倍数：1 ÷ ((1 − h) + h·c)，c = 一次命中的开销（以基线读取计）</translation>
    </message>
    <message>
        <source>Efficiency vs bound</source>
        <translation>相对上限的效率</translation>
    </message>
    <message>
        <source>throughput ratio ÷ hit-rate bound: below 1 the cache&apos;s own cost, not the hit rate, holds it back</source>
        <translation>吞吐量倍数 ÷ 命中率上限：低于 1 时，限制它的是缓存自身的开销，而不是命中率</translation>
    </message>
    <message>
        <source>Cached requests/s</source>
        <translation>缓存阶段请求数/秒</translation>
    </message>
    <message>
        <source>Cached p50</source>
        <translation>缓存阶段 p50</translation>
    </message>
    <message>
        <source>Cached p99</source>
        <translation>缓存阶段 p99</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>requests per second of the cached phase</source>
        <translation>缓存阶段每秒请求数</translation>
    </message>
    <message>
        <source>p99 latency</source>
        <translation>p99 延迟</translation>
    </message>
    <message>
        <source>99th percentile response time of the cached phase</source>
        <translation>缓存阶段第 99 百分位响应时间</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>share of the cached phase&apos;s requests that failed</source>
        <translation>缓存阶段失败请求所占比例</translation>
    </message>
    <message>
        <source>Stale reads</source>
        <translation>陈旧读取</translation>
    </message>
    <message>
        <source>share of the cached phase&apos;s checked reads that returned a row older than a write committed before the read began (db.version_column)</source>
        <translation>缓存阶段经检查的读取中，返回的行早于读取开始前已提交的写入的比例（db.version_column）</translation>
    </message>
    <message>
        <source>Stale read age p99</source>
        <translation>陈旧读取时长 p99</translation>
    </message>
    <message>
        <source>99th percentile of how long a stale read&apos;s row had been superseded</source>
        <translation>陈旧读取所返回的行已被取代多久的第 99 百分位</translation>
    </message>
</context>
<context>
    <name>Preset</name>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>the built-in default: 100,000 keys, Zipf 0.99, 16 clients, L1 20,000 entries / 1 min LRU</source>
        <translation>内置默认：100,000 个键，Zipf 0.99，16 个客户端，L1 20,000 项 / 1 分钟 LRU</translation>
    </message>
    <message>
        <source>Seed plan (L1 1,000 / 60 s, L2 10,000 / 600 s)</source>
        <translation>原始方案（L1 1,000 / 60 s，L2 10,000 / 600 s）</translation>
    </message>
    <message>
        <source>the plan&apos;s MultiLayerCache as written: L1 1,000 entries for 60 s, L2 10,000 entries for 600 s</source>
        <translation>方案中 MultiLayerCache 的原样配置：L1 1,000 项保留 60 s，L2 10,000 项保留 600 s</translation>
    </message>
    <message>
        <source>Tuned (meets every default criterion)</source>
        <translation>已调优（满足全部默认标准）</translation>
    </message>
    <message>
        <source>a configuration that meets every default criterion on the demo database: L1 holds the working set, a projection, and a warm-up from the table</source>
        <translation>在演示数据库上满足全部默认标准的配置：L1 容纳工作集，使用投影，并按表进行预热</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>冷启动</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>INCONCLUSIVE</source>
        <translation>无法判定</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>%1, last segment, %2–%3 s (%4 s, %5 requests)</source>
        <translation>%1，最后一段，%2–%3 秒（%4 秒，%5 个请求）</translation>
    </message>
    <message>
        <source>%1, %2–%3 s (%4 s, %5 requests)</source>
        <translation>%1，%2–%3 秒（%4 秒，%5 个请求）</translation>
    </message>
    <message>
        <source>Acceptance criteria</source>
        <translation>验收标准</translation>
    </message>
    <message>
        <source>The scenario sets no acceptance criteria: the run is INCONCLUSIVE.</source>
        <translation>场景未设置验收标准：本次运行无法判定。</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>exact binomial</source>
        <translation>精确二项</translation>
    </message>
    <message>
        <source>bootstrap</source>
        <translation>自助法</translation>
    </message>
    <message>
        <source>against the baseline: %1</source>
        <translation>对比基线：%1</translation>
    </message>
    <message>
        <source>the target lies within the interval</source>
        <translation>目标值位于区间之内</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Measured</source>
        <translation>测量值</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>余量</translation>
    </message>
    <message>
        <source>95 % interval</source>
        <translation>95 % 区间</translation>
    </message>
    <message>
        <source>Judged on</source>
        <translation>判定依据</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>A criterion is PASS or FAIL only when its judged stretch held at least its minimum requests and seconds; otherwise, or when its figure was not measured, it is INCONCLUSIVE.</source>
        <translation>只有当判定区段至少包含其最少请求数和秒数时，标准才会判为通过或未通过；否则，或其指标未被测量时，判为无法判定。</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>What it measures</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Phases</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/秒</translation>
    </message>
    <message>
        <source>DB statements</source>
        <translation>数据库语句</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>The result holds no time series.</source>
        <translation>该结果不含时间序列。</translation>
    </message>
    <message>
        <source>Latency per 100 ms (log scale): p50, p99, p99.9 and max, baseline and cached.</source>
        <translation>每 100 ms 的延迟（对数刻度）：p50、p99、p99.9 和最大值，基线与缓存。</translation>
    </message>
    <message>
        <source>Throughput per 100 ms of each phase, and the database statements of the cached one.</source>
        <translation>各阶段每 100 ms 的吞吐量，以及缓存阶段的数据库语句数。</translation>
    </message>
    <message>
        <source>Cold start: the hit rate over 1 s from the cached phase&apos;s start (and the cold comparison run).</source>
        <translation>冷启动：从缓存阶段开始起 1 秒窗口内的命中率（以及冷启动对比运行）。</translation>
    </message>
    <message>
        <source>The measured throughput ratio per 100 ms beside the best its hit rate allows, B(h).</source>
        <translation>每 100 ms 测得的吞吐量比值，以及其命中率所允许的最佳值 B(h)。</translation>
    </message>
    <message>
        <source>Bytes read from the database per second, baseline and cached.</source>
        <translation>每秒从数据库读取的字节数，基线与缓存。</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>分段</translation>
    </message>
    <message>
        <source>warm-up</source>
        <translation>预热</translation>
    </message>
    <message>
        <source>Run time</source>
        <translation>运行时间</translation>
    </message>
    <message>
        <source>Change that started it</source>
        <translation>开始该分段的更改</translation>
    </message>
    <message>
        <source>The engine&apos;s own cost and the hit-rate bound</source>
        <translation>引擎自身开销与命中率上限</translation>
    </message>
    <message>
        <source>Engine overhead: %1 µs per baseline request beyond SQLite&apos;s own time.</source>
        <translation>引擎开销：每个基线请求在 SQLite 自身耗时之外多出 %1 µs。</translation>
    </message>
    <message>
        <source>A hit costs %1 baseline reads%2. With %3 % of requests answered by the cache, the best throughput ratio is B(h) = %4×; measured %5× (%6 % of the bound).</source>
        <translation>一次命中的开销为 %1 次基线读取%2。缓存应答 %3 % 的请求时，最佳吞吐量比值为 B(h) = %4×；实测 %5×（上限的 %6 %）。</translation>
    </message>
    <message>
        <source>, a miss %1</source>
        <translation>，一次未命中 %1</translation>
    </message>
    <message>
        <source>Projection: %1 B per request with the chosen fields, %2 B with full rows (%3 requests measured).</source>
        <translation>投影：所选字段每个请求 %1 B，整行 %2 B（测量了 %3 个请求）。</translation>
    </message>
    <message>
        <source>Not measured in this run (the bound needs the closed model without think time, with hits).</source>
        <translation>本次运行未测量（上限需要无思考时间的闭环模型，且有命中）。</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Database %1, table %2, key %3; %4 worker threads, %5 keys used.</source>
        <translation>数据库 %1，表 %2，键 %3；%4 个工作线程，使用了 %5 个键。</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Bold: differs from the default (%1 settings).</source>
        <translation>粗体：与默认值不同（%1 项设置）。</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境</translation>
    </message>
    <message>
        <source>Fact</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>How to reproduce</source>
        <translation>如何复现</translation>
    </message>
    <message>
        <source>Save the scenario below as %1 and run:</source>
        <translation>将下面的场景保存为 %1 并运行：</translation>
    </message>
    <message>
        <source>Or, with the settings alone (criteria and scheduled changes are in the scenario only):</source>
        <translation>或者只用设置（验收标准和计划更改仅在场景中）：</translation>
    </message>
    <message>
        <source>en</source>
        <extracomment>The report&apos;s language, as HTML&apos;s lang attribute names it (&quot;en&quot;, &quot;zh-CN&quot;).</extracomment>
        <translation>zh-CN</translation>
    </message>
    <message>
        <source>CacheScope report: %1 — %2</source>
        <translation>CacheScope 报告：%1 — %2</translation>
    </message>
    <message>
        <source>CacheScope acceptance report</source>
        <translation>CacheScope 验收报告</translation>
    </message>
    <message>
        <source>Table %1 of %2; CacheScope %3.</source>
        <translation>%2 中的表 %1；CacheScope %3。</translation>
    </message>
    <message>
        <source>the run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <source>every criterion judged and met</source>
        <translation>所有标准均已判定并达到</translation>
    </message>
    <message>
        <source>%1 of %2 criteria failed</source>
        <translation>%2 项标准中有 %1 项未通过</translation>
    </message>
    <message>
        <source>no criterion failed; %1 could not be judged</source>
        <translation>没有标准未通过；%1 项无法判定</translation>
    </message>
    <message>
        <source>%1 passed, %2 failed, %3 inconclusive.</source>
        <translation>%1 项通过，%2 项未通过，%3 项无法判定。</translation>
    </message>
    <message>
        <source>The run was stopped before its planned end.</source>
        <translation>运行在计划结束前被停止。</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Finished %1.</source>
        <translation>完成于 %1。</translation>
    </message>
    <message>
        <source>Hit rate of the cached phase per 100 ms, by tier, and over the last second (and, with writes, the share of stale reads); dashed verticals are live changes.</source>
        <translation>缓存阶段每 100 毫秒的命中率（按层级）及最近一秒的命中率（有写入时还有陈旧读取比例）；虚线竖线为实时更改。</translation>
    </message>
    <message>
        <source>Staleness per 100 ms: how long the rows of stale reads had been superseded (p99), and how far the read replica furthest behind was.</source>
        <translation>每 100 毫秒的陈旧度：陈旧读取的行已被取代的时长（p99），以及落后最多的只读副本的延迟。</translation>
    </message>
    <message>
        <source>Redis L2 round-trip per 100 ms: the median and 99th percentile of its GETs, from the request to the answer.</source>
        <translation>每 100 ms 的 Redis L2 往返时间：其 GET 从请求到应答的中位数和第 99 百分位。</translation>
    </message>
</context>
<context>
    <name>RunCharts</name>
    <message>
        <source>Cache hit rate</source>
        <translation>缓存命中率</translation>
    </message>
    <message>
        <source>cached phase time (s)</source>
        <translation>缓存阶段时间（秒）</translation>
    </message>
    <message>
        <source>hit rate (%)</source>
        <translation>命中率（%）</translation>
    </message>
    <message>
        <source>per 100 ms</source>
        <translation>每 100 ms</translation>
    </message>
    <message>
        <source>cold run</source>
        <translation>冷启动运行</translation>
    </message>
    <message>
        <source>over 1 s</source>
        <translation>1 秒窗口</translation>
    </message>
    <message>
        <source>Throughput ratio and its bound B(h)</source>
        <translation>吞吐量倍数及其上限 B(h)</translation>
    </message>
    <message>
        <source>ratio (×)</source>
        <translation>倍数（×）</translation>
    </message>
    <message>
        <source>measured ratio</source>
        <translation>实测倍数</translation>
    </message>
    <message>
        <source>bound B(h)</source>
        <translation>上限 B(h)</translation>
    </message>
    <message>
        <source>Per 100 ms: the cached throughput over the baseline&apos;s, and the best ratio the interval&apos;s hit rate allows with a hit costing what the run measured (the hit-rate bound). A ratio well under its bound is the cache&apos;s own cost, not its hit rate.</source>
        <translation>每 100 ms：缓存吞吐量与基线吞吐量之比，以及在一次命中的开销取本次实测值时，该区间命中率所允许的最佳倍数（命中率上限）。倍数远低于其上限时，原因是缓存自身的开销，而不是命中率。</translation>
    </message>
    <message>
        <source>Bytes read from the database</source>
        <translation>从数据库读取的字节</translation>
    </message>
    <message>
        <source>phase time (s)</source>
        <translation>阶段时间（秒）</translation>
    </message>
    <message>
        <source>MB/s</source>
        <translation>MB/秒</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Throughput: baseline vs cached</source>
        <translation>吞吐量：基线与缓存对比</translation>
    </message>
    <message>
        <source>thousands per second</source>
        <translation>千次/秒</translation>
    </message>
    <message>
        <source>baseline req/s</source>
        <translation>基线 请求/秒</translation>
    </message>
    <message>
        <source>cached req/s</source>
        <translation>缓存 请求/秒</translation>
    </message>
    <message>
        <source>DB queries/s</source>
        <translation>数据库查询/秒</translation>
    </message>
    <message>
        <source>Cold start: hit rate over 1 s, cold vs warmed</source>
        <translation>冷启动：1 秒窗口命中率，冷启动与预热对比</translation>
    </message>
    <message>
        <source>time since the cached phase started (s)</source>
        <translation>自缓存阶段开始的时间（秒）</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>冷启动</translation>
    </message>
    <message>
        <source>warmed up</source>
        <translation>已预热</translation>
    </message>
    <message>
        <source>Latency per 100 ms: baseline vs cached</source>
        <translation>每 100 ms 延迟：基线与缓存对比</translation>
    </message>
    <message>
        <source>µs</source>
        <translation>微秒</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>baseline %1</source>
        <translation>基线 %1</translation>
    </message>
    <message>
        <source>cached %1</source>
        <translation>缓存 %1</translation>
    </message>
    <message>
        <source>cached phase (no warm-up)</source>
        <translation>缓存阶段（未预热）</translation>
    </message>
    <message>
        <source>over %1 s</source>
        <translation>%1 秒窗口</translation>
    </message>
    <message>
        <source>replica lag (ms)</source>
        <translation>副本延迟（毫秒）</translation>
    </message>
    <message>
        <source>stale age p99 (ms)</source>
        <translation>陈旧时长 p99（毫秒）</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>陈旧</translation>
    </message>
    <message>
        <source>Staleness: replica lag and stale-read age</source>
        <translation>陈旧度：副本延迟与陈旧读取时长</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Per 100 ms of a workload that writes: the 99th percentile of how long the rows of stale reads (older than a write committed before the read) had been superseded (db.version_column); with read replicas, how far the one furthest behind was, as last measured. The share of stale reads is on the hit-rate chart.</source>
        <translation>含写入的负载每 100 毫秒：陈旧读取（早于读取前已提交的写入）的行已被取代时长的第 99 百分位（db.version_column）；有只读副本时，落后最多的副本最近一次测得的延迟。陈旧读取的比例显示在命中率图上。</translation>
    </message>
    <message>
        <source>L2 round-trip p50</source>
        <translation>L2 往返 p50</translation>
    </message>
    <message>
        <source>L2 round-trip p99</source>
        <translation>L2 往返 p99</translation>
    </message>
    <message>
        <source>Redis L2: round-trip per 100 ms</source>
        <translation>Redis L2：每 100 ms 的往返时间</translation>
    </message>
    <message>
        <source>Per 100 ms of a run with a Redis L2 (cache.l2.backend=redis): the median and 99th percentile of its GETs, from the request to its answer — what each L2 hit costs, and what each L1 miss pays before it reaches the database.</source>
        <translation>使用 Redis L2 的运行中每 100 ms（cache.l2.backend=redis）：其 GET 从请求到应答的中位数和第 99 百分位 —— 即每次 L2 命中的代价，以及每次 L1 未命中在到达数据库之前付出的代价。</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>SQLite database file (empty: the demo database)</source>
        <translation>SQLite 数据库文件（留空：演示数据库）</translation>
    </message>
    <message>
        <source>a SQLite file</source>
        <translation>一个 SQLite 文件</translation>
    </message>
    <message>
        <source>table to read</source>
        <translation>要读取的表</translation>
    </message>
    <message>
        <source>a table of that file</source>
        <translation>该文件中的一张表</translation>
    </message>
    <message>
        <source>integer key column of the table</source>
        <translation>表的整数键列</translation>
    </message>
    <message>
        <source>an integer column</source>
        <translation>一个整数列</translation>
    </message>
    <message>
        <source>simulated network round-trip added to every database statement (awaited, not slept)</source>
        <translation>为每条数据库语句附加的模拟网络往返（异步等待，而非休眠）</translation>
    </message>
    <message>
        <source>each round-trip varies uniformly by up to ± this (at least 0)</source>
        <translation>每次往返在 ± 此值范围内均匀变化（至少为 0）</translation>
    </message>
    <message>
        <source>extra attempts of a statement that failed with a retryable error (busy, locked, I/O)</source>
        <translation>语句因可重试错误（忙、锁定、I/O）失败后的额外尝试次数</translation>
    </message>
    <message>
        <source>attempts</source>
        <translation>次</translation>
    </message>
    <message>
        <source>base of the exponential backoff between attempts (full jitter, at most 100 ms)</source>
        <translation>两次尝试之间指数退避的基数（完全抖动，最多 100 ms）</translation>
    </message>
    <message>
        <source>database connections per worker thread: statements (with their round-trip) in flight at once; 0 = no limit</source>
        <translation>每个工作线程的数据库连接数：同时在途的语句数（含其往返）；0 = 不限</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>个连接</translation>
    </message>
    <message>
        <source>share of database statements that fail (simulated, seeded)</source>
        <translation>失败的数据库语句占比（模拟，按种子）</translation>
    </message>
    <message>
        <source>share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>a stall of the database connection (it blocks, like a lock wait) every db.stall_every statements</source>
        <translation>每 db.stall_every 条语句发生一次数据库连接停顿（像等待锁一样阻塞）</translation>
    </message>
    <message>
        <source>statements of a connection between two stalls (0 = no stalls)</source>
        <translation>一个连接两次停顿之间的语句数（0 = 不停顿）</translation>
    </message>
    <message>
        <source>statements</source>
        <translation>条语句</translation>
    </message>
    <message>
        <source>key popularity</source>
        <translation>键的热度分布</translation>
    </message>
    <message>
        <source>hotspot/shifting: share of the keys that are hot</source>
        <translation>hotspot/shifting：热键占全部键的比例</translation>
    </message>
    <message>
        <source>hotspot/shifting: share of the requests that go to the hot keys</source>
        <translation>hotspot/shifting：发往热键的请求占比</translation>
    </message>
    <message>
        <source>shifting: the hot set moves to the next keys this often</source>
        <translation>shifting：热点集合每隔这么久移到下一批键</translation>
    </message>
    <message>
        <source>trace: a key trace file (the formats of cachescope simulate)</source>
        <translation>trace：一个键访问轨迹文件（格式同 cachescope simulate）</translation>
    </message>
    <message>
        <source>a trace file</source>
        <translation>一个轨迹文件</translation>
    </message>
    <message>
        <source>trace: keys (one per line), csv, or oracleGeneral (libCacheSim&apos;s binary records); zstd-compressed files are read as they decompress</source>
        <translation>trace：keys（每行一个）、csv 或 oracleGeneral（libCacheSim 的二进制记录）；zstd 压缩的文件边解压边读取</translation>
    </message>
    <message>
        <source>trace: the key&apos;s column in a CSV trace (1-based)</source>
        <translation>trace：CSV 轨迹中键所在的列（从 1 开始）</translation>
    </message>
    <message>
        <source>Zipf exponent (0 = uniform)</source>
        <translation>Zipf 指数（0 = 均匀）</translation>
    </message>
    <message>
        <source>distinct keys drawn from the table</source>
        <translation>从表中抽取的不同键的数量</translation>
    </message>
    <message>
        <source>keys</source>
        <translation>个键</translation>
    </message>
    <message>
        <source>seed of every random choice</source>
        <translation>所有随机选择的种子</translation>
    </message>
    <message>
        <source>load model: closed (N clients back to back) or open (arrivals at workload.rate, latency from each request&apos;s intended start)</source>
        <translation>负载模型：closed（N 个客户端连续发送）或 open（按 workload.rate 到达，延迟从每个请求的预定开始时刻算起）</translation>
    </message>
    <message>
        <source>open model: target requests per second, all clients together</source>
        <translation>open 模型：所有客户端合计的目标每秒请求数</translation>
    </message>
    <message>
        <source>requests/s</source>
        <translation>请求/秒</translation>
    </message>
    <message>
        <source>open model: poisson (exponential gaps) or constant arrivals</source>
        <translation>open 模型：poisson（指数间隔）或 constant（恒定间隔）到达</translation>
    </message>
    <message>
        <source>concurrent clients</source>
        <translation>并发客户端数</translation>
    </message>
    <message>
        <source>clients</source>
        <translation>个客户端</translation>
    </message>
    <message>
        <source>share of requests that are reads; the rest write their row (the database is then opened for writing)</source>
        <translation>读请求的占比；其余请求写入其所在行（此时数据库以可写方式打开）</translation>
    </message>
    <message>
        <source>closed model: each client&apos;s pause between two requests</source>
        <translation>closed 模型：每个客户端两次请求之间的停顿</translation>
    </message>
    <message>
        <source>projection: comma-separated column names, checked against the table (empty: all columns)</source>
        <translation>投影：以逗号分隔的列名，会对照表结构检查（留空：全部列）</translation>
    </message>
    <message>
        <source>column names of db.table, comma-separated</source>
        <translation>db.table 的列名，以逗号分隔</translation>
    </message>
    <message>
        <source>L1 size in entries</source>
        <translation>L1 容量（项数）</translation>
    </message>
    <message>
        <source>entries</source>
        <translation>项</translation>
    </message>
    <message>
        <source>L1 time to live (0 = no expiry)</source>
        <translation>L1 存活时间（0 = 永不过期）</translation>
    </message>
    <message>
        <source>L1 eviction policy</source>
        <translation>L1 淘汰策略</translation>
    </message>
    <message>
        <source>L1 byte limit, key + value + overhead per entry (0 = none)</source>
        <translation>L1 字节上限，按每项的键 + 值 + 开销计（0 = 不限）</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>random share taken off each entry&apos;s TTL (spreads expiry)</source>
        <translation>从每项 TTL 中随机扣除的比例（分散过期时间）</translation>
    </message>
    <message>
        <source>how long a &quot;no such row&quot; answer is remembered, so a missing key is not read again (0 = not remembered)</source>
        <translation>“无此行”的结果被记住多久，使缺失的键不被重复读取（0 = 不记住）</translation>
    </message>
    <message>
        <source>L2 size in entries (0 = no L2)</source>
        <translation>L2 容量（项数；0 = 不使用 L2）</translation>
    </message>
    <message>
        <source>L2 time to live (0 = no expiry)</source>
        <translation>L2 存活时间（0 = 永不过期）</translation>
    </message>
    <message>
        <source>L2 eviction policy</source>
        <translation>L2 淘汰策略</translation>
    </message>
    <message>
        <source>L2 byte limit (0 = none)</source>
        <translation>L2 字节上限（0 = 不限）</translation>
    </message>
    <message>
        <source>L2 inclusive (holds what L1 holds) or exclusive (holds what L1 evicted)</source>
        <translation>L2 为 inclusive（包含 L1 所含内容）或 exclusive（只存放 L1 淘汰的内容）</translation>
    </message>
    <message>
        <source>coalesce misses arriving within cache.batch_window into one IN (...) statement per worker</source>
        <translation>把 cache.batch_window 内到达的未命中合并为每个工作线程一条 IN (...) 语句</translation>
    </message>
    <message>
        <source>how long a batch gathers loads before it is sent</source>
        <translation>一个批次在发送前收集加载请求的时长</translation>
    </message>
    <message>
        <source>largest batch (a full batch is sent at once)</source>
        <translation>最大批次（批次满时立即发送）</translation>
    </message>
    <message>
        <source>length of the uncached baseline phase</source>
        <translation>无缓存基线阶段的时长</translation>
    </message>
    <message>
        <source>length of the cached phase</source>
        <translation>缓存阶段的时长</translation>
    </message>
    <message>
        <source>run before each phase&apos;s measured part and left out of its figures (connections, page cache, JIT of the host)</source>
        <translation>在每个阶段的测量部分之前运行，不计入其数据（连接、页缓存、宿主的 JIT）</translation>
    </message>
    <message>
        <source>keys loaded into the cache when the cached phase starts: none, the top N of the last hot-set snapshot, a keys file, or a query ordered by columns</source>
        <translation>缓存阶段开始时加载进缓存的键：none（不预热）、上次热点快照的前 N 个、一个键文件，或按列排序的查询</translation>
    </message>
    <message>
        <source>most keys a warm-up loads (N of top-n and query; the file&apos;s first N)</source>
        <translation>预热最多加载的键数（top-n 与 query 的 N；键文件的前 N 个）</translation>
    </message>
    <message>
        <source>keys-file: one integer key per line, hottest first</source>
        <translation>keys-file：每行一个整数键，最热的在前</translation>
    </message>
    <message>
        <source>a keys file</source>
        <translation>一个键文件</translation>
    </message>
    <message>
        <source>query: &quot;column [asc|desc], ...&quot; of the table — SELECT key ... ORDER BY it LIMIT warmup.keys</source>
        <translation>query：表的 &quot;column [asc|desc], ...&quot; —— SELECT key ... ORDER BY 它 LIMIT warmup.keys</translation>
    </message>
    <message>
        <source>columns of db.table, each asc or desc</source>
        <translation>db.table 的列，每列 asc 或 desc</translation>
    </message>
    <message>
        <source>time budget of a warm-up; what is left is skipped (0 = none)</source>
        <translation>预热的时间预算；超出部分跳过（0 = 不限）</translation>
    </message>
    <message>
        <source>warm-up statements in flight at once (all engine threads)</source>
        <translation>同时在途的预热语句数（所有引擎线程合计）</translation>
    </message>
    <message>
        <source>keys per warm-up statement (one IN (...))</source>
        <translation>每条预热语句的键数（一条 IN (...)）</translation>
    </message>
    <message>
        <source>background: live requests go first (connections, event loop); foreground: warm-up competes as equal</source>
        <translation>background：实时请求优先（连接、事件循环）；foreground：预热平等竞争</translation>
    </message>
    <message>
        <source>true: warm up as many keys as the last run suggested (covering warmup.coverage of its reads)</source>
        <translation>true：按上次运行建议的数量预热（覆盖其 warmup.coverage 比例的读取）</translation>
    </message>
    <message>
        <source>share of reads the suggested warm-up size should cover</source>
        <translation>建议的预热规模应覆盖的读取占比</translation>
    </message>
    <message>
        <source>true: with a warm-up, run the cached phase cold first (same seed) to measure the cold-start reduction</source>
        <translation>true：有预热时，先冷启动运行一次缓存阶段（相同种子），以测量冷启动缩短</translation>
    </message>
    <message>
        <source>hot-set snapshot file read by top-n and written after each run (empty: one per table in the user&apos;s data folder)</source>
        <translation>热点快照文件，top-n 读取它，每次运行后写入（留空：用户数据目录中每张表一个）</translation>
    </message>
    <message>
        <source>a hot-set snapshot file</source>
        <translation>一个热点快照文件</translation>
    </message>
    <message>
        <source>engine worker threads (0 = one per core)</source>
        <translation>引擎工作线程数（0 = 每核一个）</translation>
    </message>
    <message>
        <source>threads</source>
        <translation>个线程</translation>
    </message>
    <message>
        <source>on: every request timed into the latency histograms; off: counts only (to measure what timing costs)</source>
        <translation>on：每个请求都计时并计入延迟直方图；off：只计数（用于测量计时本身的开销）</translation>
    </message>
    <message>
        <source>%1: %2 is not valid: %3</source>
        <translation>%1：%2 无效：%3</translation>
    </message>
    <message>
        <source>expected an integer</source>
        <translation>应为整数</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>应为数字</translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation>必须在 %1 与 %2 之间</translation>
    </message>
    <message>
        <source>expected a duration such as 250us, 5ms, 30s or 2m</source>
        <translation>应为时长，例如 250us、5ms、30s 或 2m</translation>
    </message>
    <message>
        <source>must be at least %1</source>
        <translation>至少为 %1</translation>
    </message>
    <message>
        <source>expected text</source>
        <translation>应为文本</translation>
    </message>
    <message>
        <source>expected one of: %1</source>
        <translation>应为以下之一：%1</translation>
    </message>
    <message>
        <source>a PostgreSQL server instead of the SQLite file, as a libpq connection URL (libpq&apos;s rules; PGPASSFILE and PGSERVICE apply; a password is never shown or saved in a result)</source>
        <translation>用 PostgreSQL 服务器代替 SQLite 文件，以 libpq 连接 URL 给出（遵循 libpq 的规则；PGPASSFILE 和 PGSERVICE 有效；密码从不显示，也不保存到结果中）</translation>
    </message>
    <message>
        <source>a PostgreSQL URL</source>
        <translation>PostgreSQL 连接地址</translation>
    </message>
    <message>
        <source>PostgreSQL: statements in flight on one connection (pipeline mode) before another connection is used</source>
        <translation>PostgreSQL：一个连接上同时在途的语句数（管道模式），超过后使用另一个连接</translation>
    </message>
    <message>
        <source>PostgreSQL: how long connecting, or one statement, may take before it fails</source>
        <translation>PostgreSQL：连接或单条语句超过多长时间即视为失败</translation>
    </message>
    <message>
        <source>PostgreSQL: read replicas of db.url, comma-separated URLs: reads go to them in turn, writes to db.url</source>
        <translation>PostgreSQL：db.url 的只读副本，以逗号分隔的 URL：读取轮流发往各副本，写入发往 db.url</translation>
    </message>
    <message>
        <source>PostgreSQL URLs, comma-separated</source>
        <translation>以逗号分隔的 PostgreSQL URL</translation>
    </message>
    <message>
        <source>with writes in the workload: the integer column each write bumps, against which every cached or replica read is checked for staleness (auto = a column named version, when the table has one; off = writes leave rows as they are)</source>
        <translation>负载含写入时：每次写入递增的整数列，每次来自缓存或副本的读取都据此检查是否陈旧（auto = 表中名为 version 的列（若有）；off = 写入保持行不变）</translation>
    </message>
    <message>
        <source>an integer column, auto or off</source>
        <translation>整数列、auto 或 off</translation>
    </message>
    <message>
        <source>what a write does to the cached copy: drop it, replace it, or nothing (ttl-only: it lives until its TTL, and reads of it may be stale)</source>
        <translation>写入对缓存副本的作用：丢弃、替换或不处理（ttl-only：副本保留至其 TTL 到期，对它的读取可能陈旧）</translation>
    </message>
    <message>
        <source>PostgreSQL with read replicas: which replica a read goes to — each in turn, or the one with the fewest statements in flight (a replica that is down gets none while another is up)</source>
        <translation>PostgreSQL 有只读副本时：读取发往哪个副本——依次轮流，或在途语句最少的副本（当其他副本可用时，宕机的副本不接收读取）</translation>
    </message>
    <message>
        <source>PostgreSQL with read replicas and writes: a read of a key written this recently goes to the primary, not to a replica that may not have replayed the write (read your writes; needs db.version_column; 0 = never)</source>
        <translation>PostgreSQL 有只读副本且有写入时：对在此时长内写入过的键的读取发往主库，而不是可能尚未重放该写入的副本（读己之写；需要 db.version_column；0 = 从不）</translation>
    </message>
    <message>
        <source>where L2 lives: in each instance&apos;s process (cache.l2.capacity entries) or on a Redis server that every instance shares (cache.l2.url; its size is the server&apos;s maxmemory)</source>
        <translation>L2 所在之处：每个实例的进程内（cache.l2.capacity 个条目），或所有实例共享的 Redis 服务器（cache.l2.url；其大小即服务器的 maxmemory）</translation>
    </message>
    <message>
        <source>Redis L2: the server, redis://[user:password@]host:port[/db] (a password is never shown or saved in a result)</source>
        <translation>Redis L2：服务器，redis://[用户:密码@]主机:端口[/db]（密码从不显示，也不保存在结果中）</translation>
    </message>
    <message>
        <source>a Redis URL</source>
        <translation>一个 Redis URL</translation>
    </message>
    <message>
        <source>Redis L2: a file whose first line is the password (instead of one in the URL)</source>
        <translation>Redis L2：首行为密码的文件（代替 URL 中的密码）</translation>
    </message>
    <message>
        <source>a password file</source>
        <translation>一个密码文件</translation>
    </message>
    <message>
        <source>Redis L2: every key starts with it (each cached phase adds a tag of its own); a prefix that holds data that is not CacheScope&apos;s is refused</source>
        <translation>Redis L2：每个键都以它开头（每个缓存阶段再加上自己的标记）；若该前缀下已有不属于 CacheScope 的数据，则拒绝使用</translation>
    </message>
    <message>
        <source>a key prefix</source>
        <translation>一个键前缀</translation>
    </message>
    <message>
        <source>Redis L2: how writes reach other instances&apos; L1 — the server tracks the keys each instance read (keys), tells every instance of every change under the prefix (bcast), or no one (off: L1 copies live until their TTL)</source>
        <translation>Redis L2：写入如何到达其他实例的 L1 —— 服务器跟踪每个实例读过的键（keys），把前缀下的每次更改告知每个实例（bcast），或不告知任何人（off：L1 副本一直保留到其 TTL 结束）</translation>
    </message>
    <message>
        <source>application instances, each with its own L1 (and in-process L2), sharing the database and a Redis L2; the engine workers are dealt to them in turn</source>
        <translation>应用实例数，每个实例有自己的 L1（及进程内 L2），共享数据库和 Redis L2；引擎工作线程依次分配给它们</translation>
    </message>
    <message>
        <source>instances</source>
        <translation>个实例</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Key column</source>
        <translation>键列</translation>
    </message>
    <message>
        <source>Round-trip</source>
        <translation>往返时延</translation>
    </message>
    <message>
        <source>Round-trip jitter</source>
        <translation>往返抖动</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Distinct keys</source>
        <translation>不同键数</translation>
    </message>
    <message>
        <source>Zipf exponent</source>
        <translation>Zipf 指数</translation>
    </message>
    <message>
        <source>Load model</source>
        <translation>负载模型</translation>
    </message>
    <message>
        <source>Rate (open model)</source>
        <translation>速率（open 模型）</translation>
    </message>
    <message>
        <source>Read share</source>
        <translation>读请求占比</translation>
    </message>
    <message>
        <source>L2 mode</source>
        <translation>L2 模式</translation>
    </message>
    <message>
        <source>TTL jitter</source>
        <translation>TTL 抖动</translation>
    </message>
    <message>
        <source>Negative TTL</source>
        <translation>否定结果 TTL</translation>
    </message>
    <message>
        <source>Warm-up (excluded)</source>
        <translation>热身（不计入）</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>键数</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <source>Retry backoff</source>
        <translation>重试退避</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接数</translation>
    </message>
    <message>
        <source>Failure rate</source>
        <translation>失败率</translation>
    </message>
    <message>
        <source>Stall</source>
        <translation>停顿</translation>
    </message>
    <message>
        <source>Stall every</source>
        <translation>停顿间隔</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Hot keys</source>
        <translation>热键</translation>
    </message>
    <message>
        <source>Hot requests</source>
        <translation>热请求</translation>
    </message>
    <message>
        <source>Shift every</source>
        <translation>转移间隔</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>轨迹</translation>
    </message>
    <message>
        <source>Trace format</source>
        <translation>轨迹格式</translation>
    </message>
    <message>
        <source>Trace column</source>
        <translation>轨迹列</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Arrival</source>
        <translation>到达方式</translation>
    </message>
    <message>
        <source>Think time</source>
        <translation>思考时间</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>TTL</source>
        <translation>TTL</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Max bytes</source>
        <translation>字节上限</translation>
    </message>
    <message>
        <source>Write policy</source>
        <translation>写策略</translation>
    </message>
    <message>
        <source>Batch loads</source>
        <translation>批量加载</translation>
    </message>
    <message>
        <source>Batch window</source>
        <translation>批量窗口</translation>
    </message>
    <message>
        <source>Largest batch</source>
        <translation>最大批次</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Keys file</source>
        <translation>键文件</translation>
    </message>
    <message>
        <source>Order by</source>
        <translation>排序依据</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发数</translation>
    </message>
    <message>
        <source>Keys per statement</source>
        <translation>每条语句键数</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Size from the last run</source>
        <translation>按上次运行定规模</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <source>Compare with a cold run</source>
        <translation>与冷启动比较</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Worker threads</source>
        <translation>工作线程</translation>
    </message>
    <message>
        <source>Request timing</source>
        <translation>请求计时</translation>
    </message>
    <message>
        <source>Pipeline depth</source>
        <translation>管道深度</translation>
    </message>
    <message>
        <source>Server timeout</source>
        <translation>服务器超时</translation>
    </message>
    <message>
        <source>Read replicas</source>
        <translation>只读副本</translation>
    </message>
    <message>
        <source>Version column</source>
        <translation>版本列</translation>
    </message>
    <message>
        <source>Replica reads</source>
        <translation>副本读取</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>Primary after write</source>
        <translation>写后读主库</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Redis URL</source>
        <translation>Redis URL</translation>
    </message>
    <message>
        <source>Password file</source>
        <translation>密码文件</translation>
    </message>
    <message>
        <source>Key prefix</source>
        <translation>键前缀</translation>
    </message>
    <message>
        <source>Invalidation tracking</source>
        <translation>失效跟踪</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>实例数</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>baseline phase&apos;s last segment</source>
        <translation>基线阶段的最后一段</translation>
    </message>
    <message>
        <source>baseline phase</source>
        <translation>基线阶段</translation>
    </message>
    <message>
        <source>cold phase&apos;s last segment</source>
        <translation>冷启动阶段的最后一段</translation>
    </message>
    <message>
        <source>cold phase</source>
        <translation>冷启动阶段</translation>
    </message>
    <message>
        <source>cached phase&apos;s last segment</source>
        <translation>缓存阶段的最后一段</translation>
    </message>
    <message>
        <source>cached phase</source>
        <translation>缓存阶段</translation>
    </message>
    <message>
        <source>not measured in this run (choose fewer fields: workload.fields)</source>
        <translation>本次运行未测量（请选择更少的字段：workload.fields）</translation>
    </message>
    <message>
        <source>not measured in this run (choose a warm-up: warmup.strategy, with warmup.compare=true)</source>
        <translation>本次运行未测量（请选择预热：warmup.strategy，并设置 warmup.compare=true）</translation>
    </message>
    <message>
        <source>not measured in this run</source>
        <translation>本次运行未测量</translation>
    </message>
    <message>
        <source>judged on %1 requests of the %2, fewer than the %3 required (min_requests)</source>
        <translation>依据%2的 %1 个请求判定，少于要求的 %3 个（min_requests）</translation>
    </message>
    <message>
        <source>judged on %1 s of the %2, less than the %3 s required (min_seconds)</source>
        <translation>依据%2的 %1 秒判定，少于要求的 %3 秒（min_seconds）</translation>
    </message>
    <message>
        <source>the measured value is not a number</source>
        <translation>测量值不是数字</translation>
    </message>
</context>
<context>
    <name>cachescope::ComparisonDialog</name>
    <message>
        <source>Compare runs: %1</source>
        <translation>比较运行：%1</translation>
    </message>
    <message>
        <source>Not measured in this run</source>
        <translation>本次运行未测量</translation>
    </message>
    <message>
        <source>95 % interval %1 … %2</source>
        <translation>95 % 区间 %1 … %2</translation>
    </message>
    <message>
        <source>The runs share every setting.</source>
        <translation>这些运行的设置完全相同。</translation>
    </message>
    <message>
        <source>Settings that differ: %1</source>
        <translation>不同的设置：%1</translation>
    </message>
    <message>
        <source>Hit rate per 100 ms</source>
        <translation>每 100 ms 命中率</translation>
    </message>
    <message>
        <source>cached phase time (s)</source>
        <translation>缓存阶段时间（秒）</translation>
    </message>
    <message>
        <source>hit rate (%)</source>
        <translation>命中率（%）</translation>
    </message>
    <message>
        <source>Cached requests/s</source>
        <translation>缓存阶段请求数/秒</translation>
    </message>
    <message>
        <source>thousands per second</source>
        <translation>千次/秒</translation>
    </message>
    <message>
        <source>(no change)</source>
        <translation>（无变化）</translation>
    </message>
    <message>
        <source>Changes are against the first run. Green: better, red: worse, where the change is beyond %1 % of the first run&apos;s value and outside its 95 % interval (hit rate: Wilson; throughput: over the 100 ms samples); otherwise no change.</source>
        <translation>变化均相对于第一次运行。绿色：更好，红色：更差，仅当变化超过第一次运行数值的 %1 % 且超出其 95 % 区间时着色（命中率：Wilson 区间；吞吐量：基于 100 ms 采样）；否则视为无变化。</translation>
    </message>
</context>
<context>
    <name>cachescope::ExportDialog</name>
    <message>
        <source>Export Report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>The folder and name of the files, without an extension: each format adds its own.</source>
        <translation>文件所在的文件夹和名称，不含扩展名：每种格式添加各自的扩展名。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export the report as</source>
        <translation>将报告导出为</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>HTML report: one self-contained page with the charts, to read or print</source>
        <translation>HTML 报告：包含图表的单个独立页面，可阅读或打印</translation>
    </message>
    <message>
        <source>PDF report: the same, paginated</source>
        <translation>PDF 报告：相同内容，分页</translation>
    </message>
    <message>
        <source>Result JSON: everything, for `cachescope report` and comparisons</source>
        <translation>结果 JSON：全部内容，供 `cachescope report` 和比较使用</translation>
    </message>
    <message>
        <source>CSV: the time series, one row per 100 ms</source>
        <translation>CSV：时间序列，每 100 ms 一行</translation>
    </message>
    <message>
        <source>JUnit XML: one test case per criterion, for CI</source>
        <translation>JUnit XML：每项标准一个测试用例，供 CI 使用</translation>
    </message>
    <message>
        <source>Text: the summary the command line prints</source>
        <translation>文本：命令行输出的摘要</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>预览…</translation>
    </message>
    <message>
        <source>Choose at least one format.</source>
        <translation>请至少选择一种格式。</translation>
    </message>
    <message>
        <source>Choose where to write the files.</source>
        <translation>请选择文件的写入位置。</translation>
    </message>
    <message>
        <source>Report preview</source>
        <translation>报告预览</translation>
    </message>
</context>
<context>
    <name>cachescope::HistoryModel</name>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>inconclusive</source>
        <translation>无定论</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>On %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>The default scenario</source>
        <translation>默认场景</translation>
    </message>
    <message>
        <source>%1 criteria met, %2 not met, %3 not measured</source>
        <translation>%1 项标准达成，%2 项未达成，%3 项未测量</translation>
    </message>
    <message>
        <source>window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>DB queries −</source>
        <translation>数据库查询 −</translation>
    </message>
    <message>
        <source>× baseline</source>
        <translation>× 基线</translation>
    </message>
    <message>
        <source>p50 −</source>
        <translation>p50 −</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>改动的设置</translation>
    </message>
</context>
<context>
    <name>cachescope::HistoryPanel</name>
    <message>
        <source>Filter: any text of a run (verdict, label, a setting such as l1.capacity)</source>
        <translation>筛选：运行中的任意文字（结论、标签、某项设置如 l1.capacity）</translation>
    </message>
    <message>
        <source>Double-click a label to rename the run; select 2 to 5 runs to compare them</source>
        <translation>双击标签可重命名运行；选择 2 到 5 次运行即可比较</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show the run&apos;s charts and figures again</source>
        <translation>重新显示该运行的图表和数据</translation>
    </message>
    <message>
        <source>Load its scenario</source>
        <translation>载入其场景</translation>
    </message>
    <message>
        <source>Put the run&apos;s settings into the controls, to run it again or tune from it</source>
        <translation>把该运行的设置填入控件，以便重跑或在此基础上调优</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Compare 2 to 5 selected runs against the oldest of them</source>
        <translation>以最早的一次为参照，比较选中的 2 到 5 次运行</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the history again (runs from the command line appear)</source>
        <translation>重新读取历史（命令行中的运行也会出现）</translation>
    </message>
    <message>
        <source>Compare at most 5 runs at once</source>
        <translation>一次最多比较 5 次运行</translation>
    </message>
    <message>
        <source>No runs saved yet in %1.</source>
        <translation>%1 中尚未保存任何运行。</translation>
    </message>
    <message>
        <source>1 run in %1.</source>
        <translation>%1 中有 1 次运行。</translation>
    </message>
    <message>
        <source>%1 runs in %2.</source>
        <translation>%2 中有 %1 次运行。</translation>
    </message>
    <message>
        <source>Delete runs?</source>
        <translation>删除运行？</translation>
    </message>
    <message>
        <source>Delete %1 from the history? This cannot be undone.</source>
        <translation>从历史中删除 %1？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Keep them</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Write the selected runs&apos; reports: HTML, PDF, JSON, CSV, JUnit, text</source>
        <translation>写出所选运行的报告：HTML、PDF、JSON、CSV、JUnit、文本</translation>
    </message>
    <message>
        <source>Run %1 from the history.</source>
        <translation>历史记录中的运行 %1。</translation>
    </message>
    <message>
        <source>Runs from the history: %1. Each run&apos;s files add its number to the name.</source>
        <translation>历史记录中的运行：%1。每次运行的文件名会加上其编号。</translation>
    </message>
</context>
<context>
    <name>cachescope::LiveChart</name>
    <message>
        <source>%1: %2 at %3 s</source>
        <translation>%1：%3 秒时为 %2</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>另存为 SVG…</translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>A CacheScope chart</source>
        <translation>CacheScope 图表</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos; as PNG</source>
        <translation>无法将“%1”写为 PNG</translation>
    </message>
</context>
<context>
    <name>cachescope::MainWindow</name>
    <message>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>冷启动</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>From (s)</source>
        <translation>起（秒）</translation>
    </message>
    <message>
        <source>To (s)</source>
        <translation>止（秒）</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>改动</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/秒</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>p50 (µs)</source>
        <translation>p50（微秒）</translation>
    </message>
    <message>
        <source>p99 (µs)</source>
        <translation>p99（微秒）</translation>
    </message>
    <message>
        <source>DB stmts/request</source>
        <translation>数据库语句/请求</translation>
    </message>
    <message>
        <source>Each phase, and each stretch after a live change, with its own figures: a change never mixes into the figures before it. The KPIs compare the last segment of each phase.</source>
        <translation>每个阶段，以及每次实时改动之后的每一段，各有自己的数据：改动不会混入它之前的数据。KPI 比较的是每个阶段的最后一段。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Cached phase, warmed up: %1 of %2 keys loaded (%3 done) in %4 s%5</source>
        <translation>缓存阶段，已预热：%4 秒内加载了 %2 个键中的 %1 个（已处理 %3 个）%5</translation>
    </message>
    <message>
        <source> — warm-up over</source>
        <translation> —— 预热结束</translation>
    </message>
    <message>
        <source>Change refused: %1</source>
        <translation>改动被拒绝：%1</translation>
    </message>
    <message>
        <source>Could not create the demo database: %1</source>
        <translation>无法创建演示数据库：%1</translation>
    </message>
    <message>
        <source>Demo database ready: %1</source>
        <translation>演示数据库已就绪：%1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;database…</source>
        <translation>打开数据库(&amp;D)…</translation>
    </message>
    <message>
        <source>Open &amp;scenario…</source>
        <translation>打开场景(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Recent databases</source>
        <translation>最近的数据库(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save scenario…</source>
        <translation>保存场景(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Apply change now</source>
        <translation>立即应用改动(&amp;A)</translation>
    </message>
    <message>
        <source>Send the edited live settings to the running engine without waiting</source>
        <translation>不等待，立即把已编辑的实时设置发送给运行中的引擎</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Settings panel</source>
        <translation>设置面板(&amp;S)</translation>
    </message>
    <message>
        <source>Hit-rate &amp;window</source>
        <translation>命中率窗口(&amp;W)</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 秒</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the &amp;desktop</source>
        <translation>跟随桌面(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>D&amp;ark</source>
        <translation>深色(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>图表(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>历史(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>CacheScope &amp;help</source>
        <translation>CacheScope 帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About CacheScope</source>
        <translation>关于 CacheScope(&amp;A)</translation>
    </message>
    <message>
        <source>About CacheScope</source>
        <translation>关于 CacheScope</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>CacheScope help</source>
        <translation>CacheScope 帮助</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;A session&lt;/b&gt;: choose a database (File → Open database, or the demo), set the workload and the cache on the left, press &lt;b&gt;Run&lt;/b&gt; (Ctrl+R). CacheScope runs an uncached baseline, then the same workload through the cache, and compares them tile by tile against the acceptance criteria.&lt;/p&gt;&lt;p&gt;&lt;b&gt;During a run&lt;/b&gt; the settings marked live (clients, capacities, TTLs, policies, rates) apply when you commit them (Enter, leaving the field, or a step of − / +); each change starts a new segment and draws a marker. Ctrl+Return sends it at once; Esc or Ctrl+. stops the run.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Values&lt;/b&gt; are typed as on the command line: durations with units (250us, 5ms, 30s, 5m, 1h), integers with or without separators. A value outside its range is refused in red with the reason.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Shortcuts&lt;/b&gt;: Ctrl+O open a database, Ctrl+Shift+O open a scenario, Ctrl+S save the scenario, Ctrl+E export the results, Ctrl+B show or hide the settings, F1 this help.&lt;/p&gt;&lt;p&gt;The command line runs the same scenarios headless: &lt;tt&gt;cachescope run --help&lt;/tt&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;一次会话&lt;/b&gt;：选择数据库（文件 → 打开数据库，或使用演示数据库），在左侧设置负载和缓存，按&lt;b&gt;运行&lt;/b&gt;（Ctrl+R）。CacheScope 先运行无缓存的基线，再让同样的负载经过缓存运行，并按验收标准逐个磁贴比较两者。&lt;/p&gt;&lt;p&gt;&lt;b&gt;运行期间&lt;/b&gt;，标为实时的设置（客户端数、容量、TTL、策略、速率）在提交时生效（回车、离开输入框，或按一次 − / +）；每次改动开始新的一段并画出标记。Ctrl+Return 立即发送；Esc 或 Ctrl+. 停止运行。&lt;/p&gt;&lt;p&gt;&lt;b&gt;数值&lt;/b&gt;的写法与命令行相同：时长带单位（250us、5ms、30s、5m、1h），整数可带或不带分隔符。超出范围的值会以红色标出并说明原因。&lt;/p&gt;&lt;p&gt;&lt;b&gt;快捷键&lt;/b&gt;：Ctrl+O 打开数据库，Ctrl+Shift+O 打开场景，Ctrl+S 保存场景，Ctrl+E 导出结果，Ctrl+B 显示或隐藏设置，F1 本帮助。&lt;/p&gt;&lt;p&gt;命令行可无界面地运行同样的场景：&lt;tt&gt;cachescope run --help&lt;/tt&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open a scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <source>Scenarios (*.json);;All files (*)</source>
        <translation>场景 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Scenario %1 loaded</source>
        <translation>已载入场景 %1</translation>
    </message>
    <message>
        <source>Cannot open the scenario: %1</source>
        <translation>无法打开场景：%1</translation>
    </message>
    <message>
        <source>Save the scenario</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <source>Scenarios (*.json)</source>
        <translation>场景 (*.json)</translation>
    </message>
    <message>
        <source>Cannot save the scenario: %1</source>
        <translation>无法保存场景：%1</translation>
    </message>
    <message>
        <source>Scenario saved to %1</source>
        <translation>场景已保存到 %1</translation>
    </message>
    <message>
        <source>No results to export yet: run first</source>
        <translation>尚无可导出的结果：请先运行</translation>
    </message>
    <message>
        <source>no results to export yet</source>
        <translation>尚无可导出的结果</translation>
    </message>
    <message>
        <source>Cannot export: %1</source>
        <translation>无法导出：%1</translation>
    </message>
    <message>
        <source>Results written to %1</source>
        <translation>结果已写入 %1</translation>
    </message>
    <message>
        <source>Preset “%1”: %2</source>
        <translation>预设“%1”：%2</translation>
    </message>
    <message>
        <source>Cannot load the preset: %1</source>
        <translation>无法载入预设：%1</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>target %1 %2</source>
        <translation>目标 %1 %2</translation>
    </message>
    <message>
        <source> (live)</source>
        <translation>（实时）</translation>
    </message>
    <message>
        <source> · at the end</source>
        <translation> · 结束时给出</translation>
    </message>
    <message>
        <source>Creating the demo database (%1 rows) in %2…</source>
        <translation>正在 %2 中创建演示数据库（%1 行）…</translation>
    </message>
    <message>
        <source>Cannot run: %1</source>
        <translation>无法运行：%1</translation>
    </message>
    <message>
        <source>Cannot run: fix the settings marked in red</source>
        <translation>无法运行：请修正标红的设置</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>at the end</source>
        <translation>结束时给出</translation>
    </message>
    <message>
        <source>Applied at %1 s: %2 (a new segment starts)</source>
        <translation>已于 %1 秒应用：%2（开始新的一段）</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>Cold run</source>
        <translation>冷启动运行</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Baseline phase (no cache), %1 s</source>
        <translation>基线阶段（无缓存），%1 秒</translation>
    </message>
    <message>
        <source>Cached phase run cold, %1 s (the warm-up&apos;s comparison, same seed)</source>
        <translation>缓存阶段冷启动运行，%1 秒（作为预热的对照，种子相同）</translation>
    </message>
    <message>
        <source>Cached phase, %1 s</source>
        <translation>缓存阶段，%1 秒</translation>
    </message>
    <message>
        <source>%1 %2 / %3 s · about %4 s left</source>
        <translation>%1 %2 / %3 秒 · 约剩 %4 秒</translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <source>Cold start (1 s hit rate reaching 90 % of steady): cold %1 s, warmed %2 s; warm-up %3 keys in %4 s</source>
        <translation>冷启动（1 秒窗口命中率达到稳定值的 90 %）：冷启动 %1 秒，预热后 %2 秒；预热 %3 个键用时 %4 秒</translation>
    </message>
    <message>
        <source>Not measured: choose a warm-up strategy to compare a warmed start with a cold one</source>
        <translation>未测量：选择一种预热策略，即可比较预热启动与冷启动</translation>
    </message>
    <message>
        <source>%1 B per read with %2, %3 B with full rows (same %4 keys)</source>
        <translation>使用 %2 时每次读取 %1 B，读取整行时 %3 B（相同的 %4 个键）</translation>
    </message>
    <message>
        <source>Not measured: choose fewer fields to measure a projection</source>
        <translation>未测量：少选一些字段即可测量投影</translation>
    </message>
    <message>
        <source>At %1 % of requests answered by the cache, with a hit costing %2 baseline reads%3, the best throughput ratio is %4×; measured %5×. Below 100 % the cache&apos;s own cost, not the hit rate, holds the ratio back.</source>
        <translation>缓存应答 %1 % 的请求，一次命中的开销为 %2 次基线读取%3，此时最佳吞吐量倍数为 %4×；实测 %5×。低于 100 % 时，限制倍数的是缓存自身的开销，而不是命中率。</translation>
    </message>
    <message>
        <source> and a miss %1</source>
        <translation>、一次未命中为 %1</translation>
    </message>
    <message>
        <source>Not measured: the bound needs the closed model without think time, request timing on (engine.metrics) and hits</source>
        <translation>未测量：上限需要无思考时间的 closed 模型、开启请求计时（engine.metrics）并且有命中</translation>
    </message>
    <message>
        <source>%1 %2 (target %3 %4)</source>
        <translation>%1 %2（目标 %3 %4）</translation>
    </message>
    <message>
        <source>Run stopped.</source>
        <translation>运行已停止。</translation>
    </message>
    <message>
        <source>Run finished.</source>
        <translation>运行已完成。</translation>
    </message>
    <message>
        <source>Every measured criterion met.</source>
        <translation>所有已测量的标准均已达成。</translation>
    </message>
    <message>
        <source>1 criterion not met (see above).</source>
        <translation>1 项标准未达成（见上方）。</translation>
    </message>
    <message>
        <source>%1 criteria not met (see above).</source>
        <translation>%1 项标准未达成（见上方）。</translation>
    </message>
    <message>
        <source>Run failed: %1. The charts show what ran before it failed.</source>
        <translation>运行失败：%1。图表显示的是失败前运行的内容。</translation>
    </message>
    <message>
        <source>Not met: %1</source>
        <translation>未达成：%1</translation>
    </message>
    <message>
        <source> Engine overhead: %1 µs per baseline request.</source>
        <translation> 引擎开销：每个基线请求 %1 微秒。</translation>
    </message>
    <message>
        <source> Suggested warm-up for the next run: %1 keys.</source>
        <translation> 建议下次运行预热 %1 个键。</translation>
    </message>
    <message>
        <source> 1 note on this run</source>
        <translation> 本次运行有 1 条备注</translation>
    </message>
    <message>
        <source> %1 notes on this run</source>
        <translation> 本次运行有 %1 条备注</translation>
    </message>
    <message>
        <source> (hover here).</source>
        <translation>（将鼠标悬停于此查看）。</translation>
    </message>
    <message>
        <source> (warm-up)</source>
        <translation>（预热）</translation>
    </message>
    <message>
        <source>phase start</source>
        <translation>阶段开始</translation>
    </message>
    <message>
        <source>Stop the run?</source>
        <translation>停止运行？</translation>
    </message>
    <message>
        <source>A run is in progress. Stop it and close CacheScope? What it measured so far is not kept.</source>
        <translation>有运行正在进行。停止它并关闭 CacheScope 吗？到目前为止测得的数据不会保留。</translation>
    </message>
    <message>
        <source>Stop and close</source>
        <translation>停止并关闭</translation>
    </message>
    <message>
        <source>Keep running</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Saved as run %1 in the history</source>
        <translation>已作为运行 %1 保存到历史</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>历史：%1</translation>
    </message>
    <message>
        <source>A run is in progress: stop it before loading another scenario</source>
        <translation>有运行正在进行：请先停止，再载入其他场景</translation>
    </message>
    <message>
        <source>The run&apos;s scenario is in the controls</source>
        <translation>该运行的场景已填入控件</translation>
    </message>
    <message>
        <source>A run is in progress: stop it before opening another</source>
        <translation>有运行正在进行：请先停止，再打开其他运行</translation>
    </message>
    <message>
        <source>Run #%1%2 from the history, finished %3 (%4).</source>
        <translation>历史中的运行 #%1%2，结束于 %3（%4）。</translation>
    </message>
    <message>
        <source>run in the window</source>
        <translation>在窗口中运行</translation>
    </message>
    <message>
        <source>run from the command line</source>
        <translation>从命令行运行</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>The window will be in %1 when CacheScope starts again.</source>
        <translation>CacheScope 下次启动时，窗口将使用%1。</translation>
    </message>
    <message>
        <source>the run that finished last</source>
        <translation>最近完成的运行</translation>
    </message>
    <message>
        <source>run #%1%2 from the history</source>
        <translation>历史记录中的运行 #%1%2</translation>
    </message>
    <message>
        <source>&amp;Export Report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>The run shown: %1. To export another, open it from the History tab first.</source>
        <translation>当前显示的运行：%1。要导出其他运行，请先在“历史记录”标签页中打开它。</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>报告已写入：%1</translation>
    </message>
    <message>
        <source>%1 %2 (built with %3)</source>
        <translation>%1 %2（构建于 %3）</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;CacheScope %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A workbench for tuning caches in front of a real database.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;CacheScope %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;在真实数据库前调优缓存的工作台。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Built from commit %1.</source>
        <translation>构建自提交 %1。</translation>
    </message>
    <message>
        <source>Bytes read</source>
        <translation>读取字节</translation>
    </message>
    <message>
        <source>Staleness</source>
        <translation>陈旧度</translation>
    </message>
    <message>
        <source>Redis L2</source>
        <translation>Redis L2</translation>
    </message>
</context>
<context>
    <name>cachescope::PhaseRunner</name>
    <message>
        <source>Creating the demo database (%1 rows)…</source>
        <translation>正在创建演示数据库（%1 行）…</translation>
    </message>
    <message>
        <source>Reading keys from %1…</source>
        <translation>正在从 %1 读取键…</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation>已改动：%1</translation>
    </message>
    <message>
        <source>Warm-up %1: %2 of %3 keys loaded in %4 s</source>
        <translation>预热%1：%4 秒内加载了 %3 个键中的 %2 个</translation>
    </message>
    <message>
        <source>cut short (%1)</source>
        <translation>提前结束（%1）</translation>
    </message>
    <message>
        <source>phase ended</source>
        <translation>阶段已结束</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Hot set saved: %1 keys to %2</source>
        <translation>热点集合已保存：%1 个键，写入 %2</translation>
    </message>
    <message>
        <source>The hot set is saved during a cached phase (and at the end of every run)</source>
        <translation>热点集合在缓存阶段中保存（每次运行结束时也会保存）</translation>
    </message>
</context>
<context>
    <name>cachescope::SettingField</name>
    <message>
        <source>e.g. 250us, 5ms, 30s, 2m, 1h</source>
        <translation>例如 250us、5ms、30s、2m、1h</translation>
    </message>
    <message>
        <source>Applies during a run.</source>
        <translation>运行期间即可生效。</translation>
    </message>
    <message>
        <source>Fixed once a run starts.</source>
        <translation>运行开始后固定不变。</translation>
    </message>
    <message>
        <source>Step up</source>
        <translation>增大一步</translation>
    </message>
    <message>
        <source>Step down</source>
        <translation>减小一步</translation>
    </message>
</context>
<context>
    <name>cachescope::SettingsPanel</name>
    <message>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>demo database</source>
        <translation>演示数据库</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Use the demo database again</source>
        <translation>重新使用演示数据库</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Database faults</source>
        <translation>数据库故障</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>The projection: the columns each read selects (the key column always). All checked = full rows; fewer = a transfer-reduction measurement.</source>
        <translation>投影：每次读取选择的列（键列总是包含）。全部勾选 = 整行；少选 = 测量传输减少。</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Cache L1</source>
        <translation>L1 缓存</translation>
    </message>
    <message>
        <source>Cache L2</source>
        <translation>L2 缓存</translation>
    </message>
    <message>
        <source>Cache behaviour</source>
        <translation>缓存行为</translation>
    </message>
    <message>
        <source>Phases</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>预热</translation>
    </message>
    <message>
        <source>Save hot set now</source>
        <translation>立即保存热点集合</translation>
    </message>
    <message>
        <source>Write the hot keys the running cached phase has seen to the snapshot (every run also saves it at its end)</source>
        <translation>把运行中的缓存阶段见到的热键写入快照（每次运行结束时也会保存）</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Open a SQLite database</source>
        <translation>打开 SQLite 数据库</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation>SQLite 数据库 (*.db *.sqlite *.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <source> (demo)</source>
        <translation>（演示）</translation>
    </message>
    <message>
        <source>

Opened read-only unless the workload writes. SQLite adds -wal and -shm files beside a database in WAL mode while it is read; CacheScope writes nothing else there.</source>
        <translation>

除非负载包含写入，否则以只读方式打开。读取 WAL 模式的数据库时，SQLite 会在其旁边添加 -wal 和 -shm 文件；除此之外 CacheScope 不在那里写入任何内容。</translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation>无法读取数据库：%1</translation>
    </message>
    <message>
        <source>The database has no tables.</source>
        <translation>该数据库中没有表。</translation>
    </message>
    <message>
        <source>Table &apos;%1&apos; is not in this database.</source>
        <translation>该数据库中没有表“%1”。</translation>
    </message>
    <message>
        <source>the key column: always read</source>
        <translation>键列：总是读取</translation>
    </message>
    <message>
        <source>Criteria</source>
        <translation>验收标准</translation>
    </message>
    <message>
        <source>Judge the run on this: %1</source>
        <translation>以此评判运行：%1</translation>
    </message>
    <message>
        <source>e.g. 5</source>
        <translation>例如 5</translation>
    </message>
    <message>
        <source>e.g. 90</source>
        <translation>例如 90</translation>
    </message>
    <message>
        <source>A multiple: 5 means 5×</source>
        <translation>倍数：5 表示 5×</translation>
    </message>
    <message>
        <source>A percentage: 99 means 99 %</source>
        <translation>百分比：99 表示 99 %</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not a number</source>
        <translation>%1：“%2”不是数字</translation>
    </message>
    <message>
        <source>%1: a percentage from 0 to 100, not %2</source>
        <translation>%1：应为 0 到 100 的百分比，而不是 %2</translation>
    </message>
    <message>
        <source>%1: a multiple ≥ 0, not %2</source>
        <translation>%1：应为 ≥ 0 的倍数，而不是 %2</translation>
    </message>
    <message>
        <source>Fixed during a run: it applies to the next one.</source>
        <translation>运行期间固定：将用于下一次运行。</translation>
    </message>
    <message>
        <source>Milliseconds: 5 means 5 ms</source>
        <translation>毫秒：5 表示 5 ms</translation>
    </message>
    <message>
        <source>e.g. 50000</source>
        <translation>例如 50000</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>每秒请求数</translation>
    </message>
    <message>
        <source>e.g. 1</source>
        <translation>例如 1</translation>
    </message>
    <message>
        <source>%1: a value ≥ 0, not %2</source>
        <translation>%1：应为 ≥ 0 的值，而不是 %2</translation>
    </message>
    <message>
        <source>%1 (PostgreSQL)</source>
        <translation>%1（PostgreSQL）</translation>
    </message>
    <message>
        <source>The PostgreSQL server of db.url. Its connections are read-only on the server unless the workload writes; the password is never shown or saved in a result.</source>
        <translation>db.url 所指的 PostgreSQL 服务器。除非负载包含写入，其连接在服务器端为只读；密码从不显示，也不保存到结果中。</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Connect to the server and each read replica, and say what they are: version, tables, and how far each replica is behind</source>
        <translation>连接服务器和每个只读副本并显示其情况：版本、表，以及每个副本落后多少</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>SQLite 文件</translation>
    </message>
    <message>
        <source>PostgreSQL server</source>
        <translation>PostgreSQL 服务器</translation>
    </message>
    <message>
        <source>Read a SQLite file (the demo database, or one of yours), or a PostgreSQL server with its read replicas</source>
        <translation>读取 SQLite 文件（演示数据库或您自己的文件），或带只读副本的 PostgreSQL 服务器</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>数据源</translation>
    </message>
    <message>
        <source>Enter the server&apos;s URL first (postgresql://user@host:port/database).</source>
        <translation>请先输入服务器的 URL（postgresql://user@host:port/database）。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Connected: %1; tables: %2.</source>
        <translation>已连接：%1；表：%2 个。</translation>
    </message>
    <message>
        <source>Replica %1: %2</source>
        <translation>副本 %1：%2</translation>
    </message>
    <message>
        <source>Replica %1: %2, but a primary, not a replica: it is not kept in step with the server</source>
        <translation>副本 %1：%2，但它是主库而非副本：不会与服务器保持同步</translation>
    </message>
    <message>
        <source>Replica %1: %2, %3 s behind</source>
        <translation>副本 %1：%2，落后 %3 秒</translation>
    </message>
</context>
</TS>
