"""QuizCraft question generator: consumes question requests from SQS and stores new questions.

Reports partial batch failures, so one bad message does not send the whole batch back.
"""
import json
import os
import uuid

import boto3

dynamodb = boto3.resource("dynamodb")
questions = dynamodb.Table(os.environ["QUESTIONS_TABLE"])


def generate(theme):
    """The heavy work; a placeholder question here."""
    return {"prompt": f"A question about {theme}", "choices": ["A", "B", "C", "D"], "solution": "A"}


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            request = json.loads(record["body"])
            question = generate(request["theme"])
            questions.put_item(Item={"GameId": request["gameId"], "QuestionId": str(uuid.uuid4()), **question})
        except Exception:  # noqa: BLE001 - report the message as failed and keep going
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
