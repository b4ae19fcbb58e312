using System.Text;

namespace Sched.Runtime.Schedules;

/// <summary>The compact binary form of a schedule that generated assemblies carry as static data.</summary>
public static class ScheduleFormat
{
    private const int Magic = 0x44484353; // "SCHD"
    private const int Version = 6;

    public static byte[] Write(Schedule schedule)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(schedule.Program);
            w.Write(schedule.SourceFile);
            w.Write(schedule.Bound);
            w.Write(schedule.BoundKind);
            w.Write(schedule.Notes.Count);
            foreach (var note in schedule.Notes) w.Write(note);
            w.Write(schedule.Tiles.Count);
            foreach (var t in schedule.Tiles)
            {
                w.Write(t.Name); w.Write(t.Memory); w.Write(t.Address); w.Write(t.Bytes);
                w.Write(t.Rows); w.Write(t.Cols); w.Write(t.Resident); w.Write(t.Tensor);
                w.Write(t.Layer); w.Write(t.ColumnOffset); w.Write(t.Origin.Line); w.Write(t.Origin.Column);
                w.Write(t.Parent); w.Write(t.RowOffset);
            }
            w.Write(schedule.Instructions.Count);
            foreach (var i in schedule.Instructions)
            {
                w.Write(i.Cycle); w.Write((byte)i.Op); w.Write(i.Unit); w.Write(i.Link);
                w.Write(i.Operands.Length);
                foreach (var o in i.Operands) w.Write(o);
                w.Write(i.Result); w.Write(i.Bytes); w.Write(i.M); w.Write(i.K); w.Write(i.N);
                w.Write(i.Source.Line); w.Write(i.Source.Column); w.Write((byte)i.Dtype);
                w.Write(i.Args.Length);
                foreach (var a in i.Args) w.Write(a);
            }
            w.Write(schedule.Outputs.Count);
            foreach (var o in schedule.Outputs)
            {
                w.Write(o.Name); w.Write(o.Rows); w.Write(o.Cols);
                w.Write(o.Tiles.Length);
                foreach (var t in o.Tiles) w.Write(t);
                w.Write(o.Expected is not null);
                if (o.Expected is not null)
                {
                    w.Write(o.Expected.Length);
                    foreach (var v in o.Expected) w.Write(v);
                }
                w.Write(o.Symbols is not null);
                if (o.Symbols is not null)
                {
                    w.Write(o.Symbols.Length);
                    foreach (var v in o.Symbols) w.Write(v);
                }
            }
        }
        return stream.ToArray();
    }

    public static Schedule Read(byte[] data)
    {
        using var r = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        if (r.ReadInt32() != Magic || r.ReadInt32() != Version)
            throw new InvalidDataException("not a Sched schedule of this version");
        var program = r.ReadString();
        var sourceFile = r.ReadString();
        var bound = r.ReadInt64();
        var boundKind = r.ReadString();
        var notes = new string[Count(r, 1)];
        for (var i = 0; i < notes.Length; i++) notes[i] = r.ReadString();
        var tiles = new Tile[Count(r, 40)];
        for (var i = 0; i < tiles.Length; i++)
            tiles[i] = new Tile(i, r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(),
                r.ReadInt32(), r.ReadBoolean(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), new SourceLine(r.ReadInt32(), r.ReadInt32()))
                { Parent = r.ReadInt32(), RowOffset = r.ReadInt32() };
        var instructions = new Instruction[Count(r, 40)];
        for (var i = 0; i < instructions.Length; i++)
        {
            var cycle = r.ReadInt64();
            var op = (Opcode)r.ReadByte();
            var unit = r.ReadInt32();
            var link = r.ReadInt32();
            var operands = new int[Count(r, 4)];
            for (var j = 0; j < operands.Length; j++) operands[j] = r.ReadInt32();
            instructions[i] = new Instruction(cycle, op, unit, link, operands, r.ReadInt32(), r.ReadInt64(),
                r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), new SourceLine(r.ReadInt32(), r.ReadInt32()), (Targets.DataType)r.ReadByte());
            var args = new int[Count(r, 4)];
            for (var j = 0; j < args.Length; j++) args[j] = r.ReadInt32();
            instructions[i] = instructions[i] with { Args = args };
        }
        var outputs = new OutputTensor[Count(r, 12)];
        for (var i = 0; i < outputs.Length; i++)
        {
            var name = r.ReadString();
            var rows = r.ReadInt32();
            var cols = r.ReadInt32();
            var ids = new int[Count(r, 4)];
            for (var j = 0; j < ids.Length; j++) ids[j] = r.ReadInt32();
            double[]? expected = null;
            if (r.ReadBoolean())
            {
                expected = new double[Count(r, 8)];
                for (var j = 0; j < expected.Length; j++) expected[j] = r.ReadDouble();
            }
            ulong[]? symbols = null;
            if (r.ReadBoolean())
            {
                symbols = new ulong[Count(r, 8)];
                for (var j = 0; j < symbols.Length; j++) symbols[j] = r.ReadUInt64();
            }
            outputs[i] = new OutputTensor(name, rows, cols, ids, expected, symbols);
        }
        return new Schedule(program, sourceFile, tiles, instructions, outputs, bound, boundKind, notes);
    }

    /// <summary>A count, bounded by the bytes left: a corrupt count is a read error, never a huge allocation.</summary>
    private static int Count(BinaryReader r, int leastBytesEach)
    {
        var count = r.ReadInt32();
        var left = r.BaseStream.Length - r.BaseStream.Position;
        if (count < 0 || (long)count * leastBytesEach > left) throw new InvalidDataException($"a count of {count} does not fit the " +
            $"{left} bytes left");
        return count;
    }
}
