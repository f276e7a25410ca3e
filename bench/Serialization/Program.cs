using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Ampstack.Bench.Serialization.ResponseWriting).Assembly).Run(args);
