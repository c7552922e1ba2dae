using System.Text;

namespace StateForge.KubeApiServer.Api;

/// <summary>The little of the protobuf wire format the OpenAPI document needs: strings, bools and nested messages.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public ProtoWriter String(int field, string value)
    {
        if (value.Length > 0)
        {
            Bytes(field, Encoding.UTF8.GetBytes(value));
        }

        return this;
    }

    public ProtoWriter Bool(int field, bool value)
    {
        if (value)
        {
            Varint((ulong)field << 3);
            Varint(1);
        }

        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message)
    {
        Bytes(field, message.ToArray());
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void Bytes(int field, byte[] bytes)
    {
        Varint(((ulong)field << 3) | 2);
        Varint((ulong)bytes.Length);
        _buffer.Write(bytes);
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
