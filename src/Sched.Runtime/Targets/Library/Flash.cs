namespace Sched.Runtime.Targets.Library;

/// <summary>Flash: a PCIe Gen5 NVMe drive and High Bandwidth Flash.</summary>
public static class Flash
{
    private const string Pending = "a storage tier without compute; declare a 'flash' component with these figures in your own target (see examples/flash.sched)";

    public static Preset NvmeGen5 { get; } = new(
        "flash.nvme-gen5",
        "PCIe Gen5 NVMe SSD (Samsung PM1743 class): 15.36 TB at 13 GB/s",
        [new Tier("nand", "flash", 15.36e12, 13e9, 90e-6)],
        0,
        [
            new("PCIe Gen5 NVMe (Samsung PM1743)", "13 GB/s sequential read, 2.5M random-read IOPS, up to 15.36 TB",
                "vendor announcement (2021)"),
            new("QD1 4 KiB read latency", "≈ 90–150 µs", "Micron 9200 datasheet"),
            new("NAND page / block", "16 KiB (+ spare) page, 512 pages per block, 2 planes", "Micron ONFI NAND datasheet"),
            new("NAND tR / tPROG", "≈ 50–115 µs / ≈ 500–1,600 µs", "Micron ONFI NAND datasheet; Samsung V-NAND gen 5 ⚠"),
        ],
        ["latency is the low end of the QD1 range, 90 µs"],
        null, 0, Pending);

    public static Preset Hbf { get; } = new(
        "flash.hbf",
        "High Bandwidth Flash (SanDisk): 8 stacks, 4 TB per GPU at HBM-class read bandwidth",
        [new Tier("hbf", "flash", 4e12, 3.35e12, 10e-6)],
        0,
        [
            new("High Bandwidth Flash", "8–16× HBM capacity at HBM-class read bandwidth; 16-die stacks; 8 stacks = 4 TB per GPU",
                "SanDisk blog (Aug 2025); eeNews Europe"),
            new("HBF read latency", "≈ 10–20 µs", "secondary ⚠"),
        ],
        ["\"HBM-class\" bandwidth is taken as the H100's 3.35 TB/s: no exact figure is published ⚠",
         "latency is the low end of the 10–20 µs range ⚠"],
        null, 0, Pending);
}
